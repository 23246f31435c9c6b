import { describe, expect, it } from 'vitest';
import { parseFixture } from './helpers.ts';

describe('dump files: several articles back to back', () => {
  const { articles, diagnostics } = parseFixture('dump-three-articles.txt');

  it('splits at each title (a line followed by a blank line and "In This Article")', () => {
    expect(diagnostics).toEqual([]);
    expect(articles.map((a) => a.title)).toEqual([
      'Tram Line Extension Approved by Transit Board',
      'Bus Drivers Ratify New Contract',
      'Night Buses Return to the Waterfront',
    ]);
  });

  it('the last related title that runs into the next title stays with its own article', () => {
    expect(articles[0]?.related).toEqual([
      'Ferry Fares Hold Steady for Winter Season',
      'Bus Drivers Ratify New Contract',
    ]);
    expect(articles[1]?.related).toEqual(['Tram Line Extension Approved by Transit Board']);
    expect(articles[2]?.related).toEqual([
      'Bus Drivers Ratify New Contract',
      'Waterfront Bars Ask for Later Closing Time',
    ]);
  });

  it('each article knows its own line range', () => {
    expect(articles.map((a) => a.sources)).toEqual([
      [{ file: 'fixtures/dump-three-articles.txt', startLine: 1, endLine: 15 }],
      [{ file: 'fixtures/dump-three-articles.txt', startLine: 16, endLine: 25 }],
      [{ file: 'fixtures/dump-three-articles.txt', startLine: 26, endLine: 36 }],
    ]);
  });

  it('reads each article fully: bylines, analysis, bodies', () => {
    expect(articles[0]?.analysis).toEqual([
      'Airport workers who now rely on two buses could cut their commute in half.',
    ]);
    expect(articles[1]?.authors).toEqual([]);
    expect(articles[1]?.body).toHaveLength(2);
    expect(articles[2]?.authors).toEqual(['Lea Brandt', 'Samir Khoury']);
    expect(articles[2]?.published).toBe('2026-10-22T19:15:00-04:00');
    expect(articles[2]?.highlights).toEqual([]);
    expect(articles[2]?.body).toHaveLength(2);
  });
});
