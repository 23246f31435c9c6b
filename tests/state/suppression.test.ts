import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import { addSubscriber } from '../../src/state/subscribers.ts';
import {
  emailHash,
  liftSuppression,
  suppress,
  suppressionOf,
  withoutSuppressed,
} from '../../src/state/suppression.ts';
import { NOW, tempState } from '../deliver/helpers.ts';

describe('the suppression list', () => {
  it('keeps only a hash, matches any capitalisation, and never lets an erasure be lifted or weakened', () => {
    const state = tempState();
    try {
      suppress(state.db, 'Gone@Example.org', 'erased', NOW);
      suppress(state.db, 'gone@example.org', 'bounced', NOW); // a late bounce report must not weaken it
      expect(suppressionOf(state.db, 'GONE@example.ORG')).toBe('erased');
      expect(liftSuppression(state.db, 'gone@example.org')).toBe(false);
      expect(suppressionOf(state.db, 'gone@example.org')).toBe('erased');
      state.db.close();
      // The file holds the hash, not the address.
      const bytes = readFileSync(state.path).toString('latin1') + readWal(state.path);
      expect(bytes).not.toMatch(/gone@example\.org/i);
      const reopened = openState(state.path);
      const row = reopened.prepare('SELECT email_hash FROM suppressions').get() as { email_hash: string };
      reopened.close();
      expect(row.email_hash).toBe(emailHash('gone@example.org'));
    } finally {
      state.cleanup();
    }
  });

  it('lifts a bounce or complaint (reactivation at the person\u2019s request) and filters a send list', () => {
    const state = tempState();
    try {
      const ann = addSubscriber(state.db, { email: 'ann@example.org' }, NOW);
      const bob = addSubscriber(state.db, { email: 'bob@example.org' }, NOW);
      if (!ann.added || !bob.added) throw new Error('not added');
      suppress(state.db, 'bob@example.org', 'complained', NOW);
      expect(withoutSuppressed(state.db, [ann.subscriber, bob.subscriber]).map((s) => s.email)).toEqual([
        'ann@example.org',
      ]);
      expect(liftSuppression(state.db, 'bob@example.org')).toBe(true);
      expect(suppressionOf(state.db, 'bob@example.org')).toBeNull();
      expect(withoutSuppressed(state.db, [ann.subscriber, bob.subscriber])).toHaveLength(2);
    } finally {
      state.cleanup();
    }
  });
});

function readWal(path: string): string {
  try {
    return readFileSync(`${path}-wal`).toString('latin1');
  } catch {
    return '';
  }
}
