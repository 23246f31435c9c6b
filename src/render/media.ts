import type { Item, ItemMedia, PodcastFields, ResolvedImage } from '../types.ts';
import { escapeHtml, imageHtml } from './html.ts';
import type { SiteInfo } from './model.ts';
import { escapeXmlText } from './xml.ts';

/**
 * How each output shows a story's pictures and sound (its `media`, resolved by the build):
 * the page's figure and player, its Open Graph and Twitter card, and each feed format's own way
 * (RSS: Media RSS and <enclosure>; Atom: rel="enclosure" links; JSON Feed: image and attachments).
 */

/** The lead image as a figure, and the enclosure as a player with a download link. */
export function leadMediaHtml(media: ItemMedia | undefined): string {
  if (!media) return '';
  const parts: string[] = [];
  if (media.image) {
    const caption = media.image.caption
      ? `\n<figcaption>${escapeHtml(media.image.caption)}</figcaption>`
      : '';
    parts.push(`<figure class="lead">\n${imageHtml(media.image)}${caption}\n</figure>`);
  }
  const enclosure = media.enclosure;
  if (enclosure) {
    const element = enclosure.type.startsWith('video/') ? 'video' : 'audio';
    const url = escapeHtml(enclosure.url);
    // preload="none": a page of text does not fetch megabytes of sound before it is asked to.
    parts.push(
      `<${element} controls preload="none" src="${url}"></${element}>\n<p class="meta"><a href="${url}">${escapeHtml(enclosure.type)}${enclosure.length > 0 ? `, ${megabytes(enclosure.length)}` : ''}</a></p>`,
    );
  }
  return parts.join('\n');
}

function megabytes(bytes: number): string {
  return bytes >= 1_000_000
    ? `${(bytes / 1_000_000).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1000))} kB`;
}

/** Open Graph and Twitter card tags of a story's page: what a shared link previews. */
export function cardMetaHtml(item: Item, site: SiteInfo): string {
  const meta = (attribute: 'property' | 'name', key: string, value: string | number) =>
    `<meta ${attribute}="${key}" content="${escapeHtml(String(value))}">`;
  const tags = [
    meta('property', 'og:type', 'article'),
    meta('property', 'og:site_name', site.title),
    meta('property', 'og:title', item.title),
    meta('property', 'og:url', item.url),
    meta('property', 'og:description', item.summary),
  ];
  const image = item.media?.image;
  if (image) {
    tags.push(meta('property', 'og:image', image.url));
    if (image.type) tags.push(meta('property', 'og:image:type', image.type));
    if (image.width !== null && image.height !== null)
      tags.push(
        meta('property', 'og:image:width', image.width),
        meta('property', 'og:image:height', image.height),
      );
    if (image.alt) tags.push(meta('property', 'og:image:alt', image.alt));
  }
  const enclosure = item.media?.enclosure;
  if (enclosure) {
    const kind = enclosure.type.startsWith('video/') ? 'video' : 'audio';
    tags.push(
      meta('property', `og:${kind}`, enclosure.url),
      meta('property', `og:${kind}:type`, enclosure.type),
    );
  }
  tags.push(meta('name', 'twitter:card', image ? 'summary_large_image' : 'summary'));
  if (image) {
    tags.push(meta('name', 'twitter:image', image.url));
    if (image.alt) tags.push(meta('name', 'twitter:image:alt', image.alt));
  }
  return tags.join('\n');
}

export const MEDIA_RSS_NS = 'http://search.yahoo.com/mrss/';
export const ITUNES_NS = 'http://www.itunes.com/dtds/podcast-1.0.dtd';

/** RSS item elements for the lead image: Media RSS (an item has one <enclosure>, kept for sound). */
export function mediaRssXml(image: ResolvedImage): string {
  const attributes = [
    `url="${escapeXmlText(image.url)}"`,
    'medium="image"',
    image.type ? `type="${escapeXmlText(image.type)}"` : '',
    image.length !== null ? `fileSize="${image.length}"` : '',
    image.width !== null ? `width="${image.width}"` : '',
    image.height !== null ? `height="${image.height}"` : '',
  ].filter(Boolean);
  const description = image.caption ?? image.alt;
  const inner = description
    ? `<media:description type="plain">${escapeXmlText(description)}</media:description>`
    : '';
  return inner
    ? `<media:content ${attributes.join(' ')}>${inner}</media:content>`
    : `<media:content ${attributes.join(' ')}/>`;
}

/** Podcast fields as itunes: elements, each only when set. */
export function itunesXml(podcast: PodcastFields): string {
  const elements: string[] = [];
  if (podcast.duration !== undefined) elements.push(`<itunes:duration>${podcast.duration}</itunes:duration>`);
  if (podcast.episode !== undefined) elements.push(`<itunes:episode>${podcast.episode}</itunes:episode>`);
  if (podcast.season !== undefined) elements.push(`<itunes:season>${podcast.season}</itunes:season>`);
  if (podcast.episodeType !== undefined)
    elements.push(`<itunes:episodeType>${podcast.episodeType}</itunes:episodeType>`);
  if (podcast.explicit !== undefined)
    elements.push(`<itunes:explicit>${podcast.explicit ? 'true' : 'false'}</itunes:explicit>`);
  return elements.join('\n            ');
}

/** Atom rel="enclosure" links (RFC 4287 4.2.7.2): the lead image and the sound, with type and length. */
export function atomEnclosureLinks(media: ItemMedia | undefined): string[] {
  if (!media) return [];
  const links: string[] = [];
  // No title="alt": the validator reads a link title as text that must not look like HTML.
  const link = (href: string, type: string | null, length: number | null) =>
    `<link rel="enclosure" href="${escapeXmlText(href)}"${type ? ` type="${escapeXmlText(type)}"` : ''}${length ? ` length="${length}"` : ''}/>`;
  if (media.image) links.push(link(media.image.url, media.image.type, media.image.length));
  if (media.enclosure) links.push(link(media.enclosure.url, media.enclosure.type, media.enclosure.length));
  return links;
}

/** JSON Feed 1.1 item fields: `image` (and `banner_image`), and the sound as an attachment. */
export function jsonFeedMedia(media: ItemMedia | undefined): {
  image?: string;
  banner_image?: string;
  attachments?: JsonFeedAttachment[];
} {
  if (!media) return {};
  const fields: ReturnType<typeof jsonFeedMedia> = {};
  if (media.image) {
    fields.image = media.image.url;
    // A banner is shown wide: only a landscape picture is one.
    if (media.image.width !== null && media.image.height !== null && media.image.width > media.image.height)
      fields.banner_image = media.image.url;
  }
  const enclosure = media.enclosure;
  if (enclosure) {
    fields.attachments = [
      {
        url: enclosure.url,
        mime_type: enclosure.type,
        ...(enclosure.length > 0 ? { size_in_bytes: enclosure.length } : {}),
        ...(enclosure.podcast.duration !== undefined
          ? { duration_in_seconds: enclosure.podcast.duration }
          : {}),
      },
    ];
  }
  return fields;
}

export interface JsonFeedAttachment {
  url: string;
  mime_type: string;
  size_in_bytes?: number;
  duration_in_seconds?: number;
}
