import { describe, expect, it } from 'vitest';
import { uniqueEditionId } from '../../src/newsletter/index.ts';

describe('edition ids', () => {
  it('uses the readable base id when it is free', () => {
    expect(uniqueEditionId('2026-11-24', new Set())).toBe('2026-11-24');
    expect(uniqueEditionId('2026-W48', new Set(['2026-W47']))).toBe('2026-W48');
  });

  it('adds -2, -3… for a second and third edition on one day', () => {
    expect(uniqueEditionId('2026-11-24', new Set(['2026-11-24']))).toBe('2026-11-24-2');
    expect(uniqueEditionId('2026-11-24', new Set(['2026-11-24', '2026-11-24-2']))).toBe('2026-11-24-3');
  });
});
