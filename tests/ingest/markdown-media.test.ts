import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../../src/ingest/media.ts';
import { parseFixture } from './helpers.ts';

describe('pictures and sound named by a Markdown article', () => {
  it('reads image, alt, caption and the enclosure with its podcast fields, with the lines they are on', () => {
    const { articles, diagnostics } = parseFixture('markdown-media.md');
    expect(diagnostics).toEqual([]);
    expect(articles[0]?.media).toEqual({
      image: {
        src: 'pictures/ferry.jpg',
        alt: 'The first ferry of the season leaving the pier',
        caption: 'Photo: the harbour office',
        line: 4,
      },
      enclosure: {
        src: 'ferry-horn.mp3',
        type: 'audio/mpeg',
        length: null,
        podcast: { duration: 3723, episode: 4, season: 1, episodeType: 'full', explicit: false },
        line: 7,
      },
      // Files only (a URL is the publisher's to serve), none from fenced code; a missing alt is null.
      inline: [
        { src: 'maps/route%201.png', alt: 'Route map', caption: null, line: 19 },
        { src: 'no-alt.png', alt: null, caption: null, line: 19 },
      ],
    });
  });

  it('names no media for an article without any', () => {
    const { articles } = parseFixture('markdown-front-matter.md');
    expect(articles[0]).not.toHaveProperty('media');
  });

  it('reads durations as seconds, [m]m:ss or h:mm:ss, and refuses anything else', () => {
    expect(durationSeconds(95)).toBe(95);
    expect(durationSeconds('1:35')).toBe(95);
    expect(durationSeconds('01:01:35')).toBe(3695);
    expect(durationSeconds('an hour')).toBeNull();
    expect(durationSeconds(-3)).toBeNull();
  });
});
