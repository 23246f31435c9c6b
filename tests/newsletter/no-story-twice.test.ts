import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildNewsletter } from '../../src/pipeline/newsletter.ts';
import { openState } from '../../src/state/db.ts';
import { recordedItemIds } from '../../src/state/editions.ts';
import type { Edition, Item } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { makeContext, makeItem, makeItems } from './helpers.ts';

let root: string;
beforeEach(() => {
  root = tempDir('broadsheet-no-twice-');
});

async function build(now: string, items: Item[]) {
  const ctx = makeContext(root, now);
  const db = ctx.openState();
  try {
    return await buildNewsletter(ctx, db, items, {});
  } finally {
    db.close();
  }
}

const ids = (edition: Edition | null) =>
  edition ? [edition.lead.id, ...edition.sections.flatMap((s) => s.items.map((i) => i.id))] : [];

/** The same story (same stable id) re-exported with a later date. */
function reexported(item: Item, published: string): Item {
  return { ...item, published, updated: published };
}

// A re-export that moves a story's date into the next window once sent it to readers twice.
describe('a story lands in one edition only (real SQLite state)', () => {
  it('a re-export that moves its date into the next window is left out of the next edition', async () => {
    const stories = makeItems(4);
    const first = await build('2026-11-24T08:00:00-05:00', stories);
    expect(ids(first.edition)).toHaveLength(4);
    const moved = reexported(stories[1] as Item, '2026-11-24T13:00:00-05:00');
    const fresh = makeItem({ title: 'Afternoon story', published: '2026-11-24T14:00:00-05:00' });
    const second = await build('2026-11-24T18:00:00-05:00', [stories[0] as Item, moved, fresh]);
    expect(ids(second.edition)).toEqual([fresh.id]);
  });

  it('when the moved story is all there is, no edition is built', async () => {
    const stories = makeItems(3);
    await build('2026-11-24T08:00:00-05:00', stories);
    const moved = reexported(stories[2] as Item, '2026-11-24T09:00:00-05:00');
    const again = await build('2026-11-24T18:00:00-05:00', [moved]);
    expect(again.edition).toBeNull();
    expect(again.message).toMatch(/no new stories/);
  });

  it('editions recorded before the story ledger existed still count (filled from their JSON)', async () => {
    const stories = makeItems(3);
    const first = await build('2026-11-24T08:00:00-05:00', stories);
    // A state file from before: the table is gone, the edition rows are there.
    const db = openState(join(root, '.broadsheet', 'state.db'));
    db.exec('DROP TABLE edition_items');
    db.close();
    const reopened = openState(join(root, '.broadsheet', 'state.db'));
    expect([...recordedItemIds(reopened)].sort()).toEqual(ids(first.edition).sort());
    reopened.close();
    const moved = reexported(stories[0] as Item, '2026-11-24T12:00:00-05:00');
    expect((await build('2026-11-24T18:00:00-05:00', [moved])).edition).toBeNull();
  });
});
