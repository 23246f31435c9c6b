import { describe, expect, it } from 'vitest';
import { CANDIDATE_BUDGET, createRelatedIndex, type RelatedTarget } from '../../src/normalize/related.ts';

/** Thousands of titles built from a few common words, as a newsroom's headlines are. */
function crowd(count: number): RelatedTarget[] {
  const common = ['the', 'city', 'council', 'of', 'in', 'to', 'new', 'plan', 'vote', 'on'];
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 6 }, (_, w) => common[(i * 7 + w * 3) % common.length]);
    return { id: `tag:x,2026-01-01:c${i}`, title: `${words.join(' ')} item${i}`, url: `https://x/c${i}/` };
  });
}

const fed = { id: 'tag:x,2026-01-01:fed', title: 'Fed Raises Rates Again in March', url: 'https://x/fed/' };

describe('related titles among many titles sharing common words', () => {
  const targets = [...crowd(5000), fed];
  const index = createRelatedIndex(targets);

  it('have more titles per common word than one lookup reads', () => {
    expect(5000 / 10).toBeGreaterThan(CANDIDATE_BUDGET);
  });

  it('still link a near title through its rarer words', () => {
    expect(index.resolve('The Fed raised rates again in March').itemId).toBe(fed.id);
    expect(index.resolve('Fed Raises Rate Again in March').itemId).toBe(fed.id);
  });

  it('link by shared words alone when the lengths differ too much for character similarity', () => {
    // 5 of 6 words shared (0.83), but one word is so long the keys differ by over a fifth.
    expect(index.resolve('Fed Raises Rates Again in Marchaprilmayjunejuly').itemId).toBe(fed.id);
    // 4 of 6 (0.67), and too different in length to be rescued by characters.
    expect(index.resolve('Fed Raises Rates Again Marchaprilmayjunejuly Augustseptember').url).toBeNull();
  });

  it('still link a near crowd title by its one rare word', () => {
    const target = targets[1234] as RelatedTarget;
    expect(index.resolve(`${target.title}!`).itemId).toBe(target.id);
    expect(index.resolve(target.title.replace(' item1234', ' item 1234')).itemId).toBe(target.id);
  });

  it('leave a title of common words only as text', () => {
    expect(index.resolve('The plan of the city').url).toBeNull();
  });
});
