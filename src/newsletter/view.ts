import type { Config } from '../config/index.ts';
import { fill, joinAuthors, type Messages, messagesFor, plural, textDirection } from '../render/index.ts';
import type { Edition, Item } from '../types.ts';
import { editionDateLabel, storyDateLabel } from './dates.ts';
import { editionItems } from './model.ts';
import { PREFERENCES_URL_PLACEHOLDER, UNSUBSCRIBE_URL_PLACEHOLDER } from './types.ts';

/** What the templates see for one story. All strings are plain text; Handlebars escapes them. */
export interface StoryView {
  title: string;
  url: string;
  /** Authors joined for the language ("A and B"), or empty. */
  byline: string;
  /** The byline as the language says it ("By A and B", "Von A und B"), or empty. */
  credit: string;
  date: string;
  /** ISO 8601, for a <time datetime> if a template wants one. */
  datetime: string;
  highlights: string[];
  /** Shown when a story has no highlights. */
  summary: string;
  /** Resolved related links only: a related title with no page of ours is left out (no dead links). */
  related: { title: string; url: string }[];
  /**
   * The story's picture, when it has one (the lead card shows it): an absolute URL, its alt
   * text, and a size that fits the 600 px email (`height` is "auto" when the file was not measured).
   */
  image: { url: string; alt: string; width: number; height: number | 'auto' } | null;
}

export interface SectionView {
  heading: string | null;
  /** Stories shown as full cards. */
  stories: StoryView[];
  /** Stories shown as a linked title and date in the compact "More stories" list. */
  briefs: StoryView[];
}

/** The whole context a layout is filled with; documented in docs/newsletter.md for template authors. */
export interface EditionView {
  lang: string;
  /** "ltr", or "rtl" for a right-to-left language. */
  dir: string;
  /** The words of the chrome in the site's language (messages/): `{{t.readMore}}`. */
  t: Messages & {
    /** The footer sentences with the site's name filled in. */
    whyYouGetThisText: string;
    webEditionNoteText: string;
  };
  site: { title: string; url: string; description: string };
  edition: {
    id: string;
    subject: string;
    preheader: string;
    url: string;
    date: string;
    count: number;
    /** "12 stories", in the site's language. */
    countLabel: string;
    /** The archive of all editions (`newsletter/`). */
    archiveUrl: string;
  };
  lead: StoryView;
  sections: SectionView[];
  /** Stories left out of the email for size, with the web view that has them all; else null. */
  omitted: {
    count: number;
    url: string;
    label: string;
    /** The sentence around the link: `{{omitted.before}}<a>{{omitted.label}}</a>{{omitted.after}}`. */
    before: string;
    after: string;
  } | null;
  /** True for the web page, false for the email: the web page has no unsubscribe link. */
  webView: boolean;
  footer: {
    postalAddress: string;
    unsubscribeUrl: string;
    preferencesUrl: string;
    viewInBrowserUrl: string;
    siteUrl: string;
  };
}

export interface Layout {
  /** How many non-lead stories get full cards (the rest become briefs). */
  fullStories: number;
  /** How many briefs are listed (the rest are counted in `omitted`). */
  briefs: number;
  webView: boolean;
}

/** Maps an Edition to the template context, deciding which stories are cards, briefs or omitted. */
export function editionView(edition: Edition, config: Config, layout: Layout): EditionView {
  const zone = config.site.timeZone;
  const locale = config.site.language;
  const story = (item: Item) => storyView(item, zone, locale);
  const t = messagesFor(locale);
  let cardsLeft = layout.fullStories;
  let briefsLeft = layout.briefs;
  let omitted = 0;
  const sections: SectionView[] = [];
  for (const section of edition.sections) {
    const view: SectionView = { heading: section.topic?.name ?? null, stories: [], briefs: [] };
    for (const item of section.items) {
      if (cardsLeft > 0) {
        cardsLeft--;
        view.stories.push(story(item));
      } else if (briefsLeft > 0) {
        briefsLeft--;
        view.briefs.push(story(item));
      } else omitted++;
    }
    if (view.stories.length + view.briefs.length > 0) sections.push(view);
  }
  // A lone untitled section needs no heading; several sections with an untitled one call it "More news".
  const titled = sections.some((s) => s.heading !== null);
  for (const section of sections) if (section.heading === null && titled) section.heading = t.moreNews;
  return {
    lang: locale,
    dir: textDirection(locale),
    t: {
      ...t,
      whyYouGetThisText: fill(t.whyYouGetThis, { site: config.site.title }),
      webEditionNoteText: fill(t.webEditionNote, { site: config.site.title }),
    },
    site: { title: config.site.title, url: config.site.baseUrl, description: config.site.description },
    edition: {
      id: edition.id,
      subject: edition.subject,
      preheader: edition.preheader,
      url: edition.url,
      date: editionDateLabel(edition, config),
      count: editionItems(edition).length,
      countLabel: plural(t.storyCount, editionItems(edition).length, locale),
      archiveUrl: new URL('newsletter/', config.site.baseUrl).href,
    },
    lead: story(edition.lead),
    sections,
    // The email sends readers to the web edition for the rest; the web edition to the archive.
    omitted:
      omitted === 0
        ? null
        : layout.webView
          ? omittedView(omitted, new URL('archive/', config.site.baseUrl).href, t.archive, locale)
          : omittedView(omitted, edition.url, t.webEdition, locale),
    webView: layout.webView,
    footer: {
      postalAddress: config.newsletter.postalAddress,
      unsubscribeUrl: layout.webView ? config.site.baseUrl : UNSUBSCRIBE_URL_PLACEHOLDER,
      preferencesUrl: layout.webView ? config.site.baseUrl : PREFERENCES_URL_PLACEHOLDER,
      viewInBrowserUrl: edition.url,
      siteUrl: config.site.baseUrl,
    },
  };
}

function omittedView(count: number, url: string, label: string, locale: string): EditionView['omitted'] {
  const [before = '', after = ''] = plural(messagesFor(locale).omitted, count, locale).split('{link}');
  return { count, url, label, before, after };
}

export function storyView(item: Item, zone: string, locale: string): StoryView {
  const byline = joinAuthors(item.authors.map(clean), locale);
  return {
    title: clean(item.title),
    url: item.url,
    byline,
    credit: byline ? fill(messagesFor(locale).by, { authors: byline }) : '',
    date: storyDateLabel(item.published, zone, locale),
    datetime: item.published,
    highlights: item.highlights.map(clean).filter(Boolean),
    summary: item.highlights.length === 0 ? clean(item.summary) : '',
    related: item.related.flatMap((r) => (r.url ? [{ title: clean(r.title), url: r.url }] : [])),
    image: emailImage(item),
  };
}

/** The content width of the email (600 px less the card's 24 px padding each side). */
const EMAIL_IMAGE_WIDTH = 552;

function emailImage(item: Item): StoryView['image'] {
  const image = item.media?.image;
  if (!image) return null;
  const width = Math.min(EMAIL_IMAGE_WIDTH, image.width ?? EMAIL_IMAGE_WIDTH);
  // Scaled, not cropped: a client that ignores max-width shows it at exactly this size.
  const height =
    image.width !== null && image.height !== null ? Math.round((image.height * width) / image.width) : 'auto';
  return { url: image.url, alt: clean(image.alt), width, height };
}

/** Our line markers are private-use characters; keep them (and stray controls) out of template data. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\uE000\uE001\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
}
