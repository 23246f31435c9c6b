import { DedupeMemo } from '../dedupe/index.ts';
import { NormalizeMemo, type RelatedMemo } from '../normalize/index.ts';
import { RenderMemo } from '../render/index.ts';
import { IdentityMemo } from '../state/index.ts';
import { EditionMemo } from './newsletter.ts';
import { WriteMemo } from './output.ts';
import { ReadMemo } from './read.ts';

/**
 * What a long-lived process keeps between builds (`serve` rebuilding on every save, the
 * bench's warm rebuild): each stage's memo, so a rebuild after one edit redoes the work of
 * that edit, not of the whole site. A `broadsheet build` process starts without one. Every
 * memo only ever saves work: a build with a memo writes exactly the bytes one without would.
 */
export interface BuildMemo {
  read: ReadMemo;
  dedupe: DedupeMemo;
  identities: IdentityMemo;
  normalize: NormalizeMemo;
  render: RenderMemo;
  /** The related-link memo the last build made (also kept in the cache file for new processes). */
  related?: RelatedMemo;
  write: WriteMemo;
  edition: EditionMemo;
  /** The merge lines the last build logged: a rebuild logs only new ones. */
  mergesReported: Set<string>;
}

export function createBuildMemo(): BuildMemo {
  return {
    read: new ReadMemo(),
    dedupe: new DedupeMemo(),
    identities: new IdentityMemo(),
    normalize: new NormalizeMemo(),
    render: new RenderMemo(),
    write: new WriteMemo(),
    edition: new EditionMemo(),
    mergesReported: new Set(),
  };
}
