import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { assignTopics } from '../../src/normalize/index.ts';

const rules = configSchema.parse({
  feeds: {
    topics: [
      { name: 'Middle East', tags: ['mideast'], keywords: ['Gaza', 'West Bank'] },
      { name: 'AI', slug: 'artificial-intelligence', keywords: ['AI', 'machine learning'] },
    ],
  },
}).feeds.topics;

describe('topic assignment', () => {
  it('turns front-matter tags into topics, slugged, in order, without duplicates', () => {
    const topics = assignTopics(
      { title: 'x', highlights: [], tags: ['City Hall', 'Transport', 'city hall'] },
      [],
    );
    expect(topics).toEqual([
      { slug: 'city-hall', name: 'City Hall' },
      { slug: 'transport', name: 'Transport' },
    ]);
  });

  it('maps a tag a rule lists onto the rule topic instead of a topic of its own', () => {
    const topics = assignTopics(
      { title: 'Talks resume', highlights: [], tags: ['MidEast', 'Diplomacy'] },
      rules,
    );
    expect(topics).toEqual([
      { slug: 'middle-east', name: 'Middle East' },
      { slug: 'diplomacy', name: 'Diplomacy' },
    ]);
  });

  it('matches rule keywords as whole words in the title or highlights, case-insensitively', () => {
    expect(assignTopics({ title: 'Aid reaches gaza', highlights: [], tags: [] }, rules)).toEqual([
      { slug: 'middle-east', name: 'Middle East' },
    ]);
    expect(
      assignTopics(
        { title: 'Lab news', highlights: ['New rules for Machine  Learning models'], tags: [] },
        rules,
      ),
    ).toEqual([{ slug: 'artificial-intelligence', name: 'AI' }]);
    // "AI" must not match inside "said" or "Aid".
    expect(assignTopics({ title: 'Officials said aid is late', highlights: [], tags: [] }, rules)).toEqual(
      [],
    );
  });

  it('gives a tag without Latin letters a stable slug instead of dropping it', () => {
    const [topic] = assignTopics({ title: 'x', highlights: [], tags: ['政治'] }, []);
    expect(topic?.name).toBe('政治');
    expect(topic?.slug).toMatch(/^topic-[0-9a-f]{10}$/);
    expect(assignTopics({ title: 'y', highlights: [], tags: ['政治'] }, [])).toEqual([topic]);
  });

  it('follows the rules it is given: a reloaded config with other keywords gives other topics', () => {
    // Rules are compiled once per rules array (as one loaded config holds them): a new array,
    // as `serve` makes when the config file changes, is compiled afresh.
    const story = { title: 'New lab opens', highlights: ['Machine learning for tides'], tags: [] };
    const reloaded = configSchema.parse({
      feeds: { topics: [{ name: 'AI', slug: 'artificial-intelligence', keywords: ['lab'] }] },
    }).feeds.topics;
    const names = (given: typeof rules) => assignTopics(story, given).map((t) => t.name);
    expect(names(rules)).toEqual(['AI']);
    expect(names(reloaded)).toEqual(['AI']);
    const renamed = configSchema.parse({ feeds: { topics: [{ name: 'Science', keywords: ['tides'] }] } })
      .feeds.topics;
    expect(names(renamed)).toEqual(['Science']);
    const none = configSchema.parse({ feeds: { topics: [{ name: 'Science', keywords: ['ferry'] }] } }).feeds
      .topics;
    expect(names(none)).toEqual([]);
    expect(names(rules)).toEqual(['AI']);
  });
});
