import { beforeEach, describe, expect, it } from 'vitest';
import { buildNewsletter, type NewsletterOptions } from '../../src/pipeline/newsletter.ts';
import { getEditionPart } from '../../src/state/editions.ts';
import type { Item } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { makeContext, makeItem } from '../newsletter/helpers.ts';

let root: string;
beforeEach(() => {
  root = tempDir('broadsheet-preview-unsent-');
});

const NOW = '2026-11-24T08:00:00-05:00';

async function build(items: Item[], options: NewsletterOptions) {
  const ctx = makeContext(root, NOW);
  const db = ctx.openState();
  try {
    const result = await buildNewsletter(ctx, db, items, options);
    const page = result.files.find((f) => f.path === 'newsletter/2026-11-24/index.html');
    const html = page && 'render' in page ? page.render() : String(page?.contents ?? '');
    return { result, html, recorded: getEditionPart(db, '2026-11-24', 'web_html') ?? '' };
  } finally {
    db.close();
  }
}

// serve builds on a throwaway snapshot of the state: there, the unsent edition is shown as
// today's articles make it, so a story fixed after `build` shows fixed in the preview.
describe('the preview of an unsent edition', () => {
  it('shows the fixed story and says the recorded edition differs', async () => {
    const story = makeItem({ slug: 'ferry', title: 'Ferry timetable changes in Janury' });
    await build([story], {});
    const fixed = { ...story, title: 'Ferry timetable changes in January', contentHash: 'fixed' };
    // A plain build keeps the edition as recorded.
    const plain = await build([fixed], {});
    expect(plain.html).toContain('Ferry timetable changes in Janury');
    // (serve runs this on a snapshot it throws away; here the state is real, so it comes last.)
    const preview = await build([fixed], { previewUnsent: true });
    expect(preview.html).toContain('Ferry timetable changes in January');
    expect(preview.result.message).toContain(
      "the preview shows unsent edition 2026-11-24 as today's articles make it; it differs from the recorded one: `broadsheet editions rebuild 2026-11-24` records it",
    );
  });
});
