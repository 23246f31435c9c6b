import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { broadsheet, epochOf, initPublication } from './publication.ts';

const MORNING = epochOf('2026-12-04T14:00:00Z');
const AFTERNOON = epochOf('2026-12-04T19:00:00Z');

// A story whose date cannot be read is dated when it was first seen: "now". It once started a
// second edition (2026-12-04-2) that a plain `send` would have mailed.
describe('a file with an unreadable date', () => {
  it('starts no second edition; the story waits, named, until its date is fixed', async () => {
    const dir = await initPublication(MORNING);
    expect((await broadsheet(['build'], dir, MORNING)).stderr).toContain(
      'newsletter: edition 2026-12-04: 1 story',
    );
    writeFileSync(
      join(dir, 'articles/ferry-schedule.md'),
      '---\ntitle: Ferry Schedule Changes\nauthor: Dana Ortiz\ndate: sometime next week\n---\n\nThe ferry runs later on Fridays.\n',
    );
    const build = await broadsheet(['build'], dir, AFTERNOON);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).toContain(
      'articles/ferry-schedule.md:4: warning: unrecognised date date "sometime next week"',
    );
    expect(build.stderr).toContain(
      '"Ferry Schedule Changes" is left out of the newsletter until its published date is fixed',
    );
    expect(build.stderr).toContain('newsletter: no edition built');
    expect((await broadsheet(['editions', 'list'], dir, AFTERNOON)).stdout).toMatch(/^2026-12-04\t1 story\t/);

    // Fixed, it goes in the next edition, made on purpose by a build.
    writeFileSync(
      join(dir, 'articles/ferry-schedule.md'),
      '---\ntitle: Ferry Schedule Changes\nauthor: Dana Ortiz\ndate: 2026-12-04T13:00:00-05:00\n---\n\nThe ferry runs later on Fridays.\n',
    );
    const fixed = await broadsheet(['build'], dir, AFTERNOON);
    expect(fixed.stderr).toContain('newsletter: edition 2026-12-04-2: 1 story');
  });
});
