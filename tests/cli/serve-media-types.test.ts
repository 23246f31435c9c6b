import { describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../src/cli/serve/content-types.ts';

describe('serve: content types of published media', () => {
  it('serves sound and film as the type feeds announce (nosniff would leave octet-stream unplayed)', () => {
    expect(contentTypeFor('media/episode-12-c4abfde52a52.mp3')).toBe('audio/mpeg');
    expect(contentTypeFor('media/clip-0123456789ab.mp4')).toBe('video/mp4');
    expect(contentTypeFor('media/harbour-photo-f18c6f46a78c.jpg')).toBe('image/jpeg');
    expect(contentTypeFor('topics/climate/rss.xml')).toBe('application/rss+xml; charset=utf-8');
    expect(contentTypeFor('media/unknown.bin')).toBe('application/octet-stream');
  });
});
