import type { ArticleMedia, EnclosureRef, ImageRef, PodcastFields } from '../types.ts';

/** Front matter keys this module reads (markdown.ts accepts them as known). */
export const MEDIA_KEYS = ['image', 'image_alt', 'image_caption', 'enclosure'] as const;

/** Where a front matter key is written (1-based file line), and how to warn about it. */
export interface FrontMatterPlace {
  line(key: string): number;
  warn(code: string, key: string, message: string): void;
}

/**
 * The pictures and sound a Markdown article names, as written: front matter `image` (with
 * `image_alt`, `image_caption`), `enclosure` (a file or URL, or a map with `file`/`url`, `type`,
 * `length` and podcast fields), and images in the text that name a file. Null when there are none.
 * Finding and measuring the files is the build's job (pipeline/media.ts): ingest reads no file.
 */
export function mediaOf(
  data: Record<string, unknown>,
  content: string,
  bodyOffset: number,
  place: FrontMatterPlace,
): ArticleMedia | null {
  const image = imageOf(data, place);
  const enclosure = enclosureOf(data.enclosure, place);
  const inline = inlineImages(content, bodyOffset);
  if (image === null && enclosure === null && inline.length === 0) return null;
  return { image, enclosure, inline };
}

function imageOf(data: Record<string, unknown>, place: FrontMatterPlace): ImageRef | null {
  const src = text(data.image);
  if (src === null) {
    if (data.image !== undefined && data.image !== null)
      place.warn('ingest/bad-image', 'image', 'front matter "image" must be a file name or URL; ignored');
    return null;
  }
  return { src, alt: text(data.image_alt), caption: text(data.image_caption), line: place.line('image') };
}

function enclosureOf(value: unknown, place: FrontMatterPlace): EnclosureRef | null {
  if (value === undefined || value === null) return null;
  const line = place.line('enclosure');
  const simple = text(value);
  if (simple !== null) return { src: simple, type: null, length: null, podcast: {}, line };
  if (typeof value !== 'object' || Array.isArray(value)) {
    place.warn(
      'ingest/bad-enclosure',
      'enclosure',
      'front matter "enclosure" must be a file, a URL or a map',
    );
    return null;
  }
  const map = value as Record<string, unknown>;
  const src = text(map.file) ?? text(map.url) ?? text(map.src);
  if (src === null) {
    place.warn(
      'ingest/bad-enclosure',
      'enclosure',
      'front matter "enclosure" names no "file" or "url"; ignored',
    );
    return null;
  }
  const length = wholeNumber(map.length);
  return { src, type: text(map.type), length, podcast: podcastOf(map, place), line };
}

function podcastOf(map: Record<string, unknown>, place: FrontMatterPlace): PodcastFields {
  const podcast: PodcastFields = {};
  if (map.duration !== undefined) {
    const seconds = durationSeconds(map.duration);
    if (seconds === null)
      place.warn(
        'ingest/bad-enclosure',
        'enclosure',
        `enclosure duration "${String(map.duration)}" is not seconds or [h:]mm:ss; left out`,
      );
    else podcast.duration = seconds;
  }
  const episode = wholeNumber(map.episode);
  if (episode !== null) podcast.episode = episode;
  const season = wholeNumber(map.season);
  if (season !== null) podcast.season = season;
  const type = text(map.episodeType ?? map.episode_type);
  if (type === 'full' || type === 'trailer' || type === 'bonus') podcast.episodeType = type;
  if (typeof map.explicit === 'boolean') podcast.explicit = map.explicit;
  return podcast;
}

/** `90`, `1:30` or `01:01:30`; YAML reads `1:30` as the sexagesimal number 90 already. */
export function durationSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  const match = /^(?:(\d+):)?(?:(\d+):)?(\d+)$/.exec(String(value).trim());
  if (!match) return null;
  const parts = [match[1], match[2], match[3]].filter((p) => p !== undefined).map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

const MARKDOWN_IMAGE = /!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)/g;
const FENCE = /^\s*(```|~~~)/;
const URL_SCHEME = /^[a-z][a-z\d+.-]*:|^\/\//i;

/**
 * Markdown images that name a file (a URL is the publisher's to serve), with the file line
 * each is written on. Fenced code is skipped: an image there is text about Markdown.
 */
export function inlineImages(content: string, bodyOffset: number): ImageRef[] {
  const images: ImageRef[] = [];
  let fence: string | null = null;
  content.split('\n').forEach((lineText, index) => {
    const fenceMatch = FENCE.exec(lineText);
    if (fence !== null) {
      if (fenceMatch?.[1] === fence) fence = null;
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1] as string;
      return;
    }
    for (const match of lineText.matchAll(MARKDOWN_IMAGE)) {
      const src = match[2] as string;
      if (URL_SCHEME.test(src)) continue;
      const alt = (match[1] as string).trim();
      images.push({ src, alt: alt === '' ? null : alt, caption: null, line: bodyOffset + index + 1 });
    }
  });
  return images;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

function wholeNumber(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}
