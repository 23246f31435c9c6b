import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { broadsheet, editFile, epochOf, initPublication } from './publication.ts';

const NOW = epochOf('2026-11-24T20:00:00Z');
const OLD_TITLE = 'Harbor City Opens Its First Floating Park';
const NEW_TITLE = 'Harbor City Opens Its First Floating Garden';

/** The text part of each message in the edition's outbox folder, read back with mailparser. */
async function outboxTexts(dir: string, edition: string): Promise<string[]> {
  const folder = join(dir, 'outbox', edition);
  return Promise.all(
    readdirSync(folder).map(
      async (name) => (await simpleParser(readFileSync(join(folder, name)))).text ?? '',
    ),
  );
}

describe('broadsheet editions', () => {
  it('rebuilds an unsent edition from the fixed story, and refuses once it was sent', async () => {
    const dir = await initPublication(NOW);
    expect((await broadsheet(['build'], dir, NOW)).status).toBe(0);
    const listed = await broadsheet(['editions', 'list'], dir, NOW);
    expect(listed.stdout).toBe(`2026-11-24\t1 story\tnot sent\t${await subjectOf(dir)}\n`);

    editFile(dir, 'articles/example.txt', (text) => text.replace(OLD_TITLE, NEW_TITLE));
    const rebuiltSite = await broadsheet(['build'], dir, NOW);
    expect(rebuiltSite.status).toBe(0);
    // The build that takes the edit says at once that the unsent edition still shows the old text.
    expect(rebuiltSite.stderr).toContain(
      `unsent edition 2026-11-24 holds the old text of 1 story changed since it was recorded: "${OLD_TITLE}"; \`broadsheet editions rebuild 2026-11-24\` updates it`,
    );
    // A plain build keeps the recorded edition as it was: the fix is not in it yet.
    expect((await broadsheet(['editions', 'show', 'latest'], dir, NOW)).stdout).toContain(OLD_TITLE);
    // send says so, and names the command that takes the fix in.
    const warned = await broadsheet(['send', '--dry-run'], dir, NOW);
    expect(warned.stderr).toContain(
      `warning: "${OLD_TITLE}" (articles/example.txt) changed after edition 2026-11-24 was recorded`,
    );
    expect(warned.stderr).toContain('to send the changed text: broadsheet editions rebuild 2026-11-24');

    const rebuilt = await broadsheet(['editions', 'rebuild', 'latest'], dir, NOW);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect((await broadsheet(['build'], dir, NOW)).stderr).not.toContain('unsent edition');
    expect(rebuilt.stderr).toContain('newsletter: edition 2026-11-24 rebuilt: 1 story');
    const shown = await broadsheet(['editions', 'show', '2026-11-24'], dir, NOW);
    expect(shown.stdout).toContain(NEW_TITLE);
    expect(shown.stdout).toContain('articles/example.txt:1');
    expect(readFileSync(join(dir, 'out/newsletter/2026-11-24/index.html'), 'utf8')).toContain(NEW_TITLE);

    expect((await broadsheet(['subscribers', 'add', 'reader@example.com'], dir, NOW)).status).toBe(0);
    const sent = await broadsheet(['send'], dir, NOW);
    expect(sent.status).toBe(0);
    expect(sent.stderr).not.toContain('changed after edition');
    const [message] = await outboxTexts(dir, '2026-11-24');
    expect(message).toContain(NEW_TITLE);
    expect(message).not.toContain(OLD_TITLE);

    expect((await broadsheet(['editions', 'list'], dir, NOW)).stdout).toContain('\tsent to 1\t');
    for (const action of ['rebuild', 'discard']) {
      const refused = await broadsheet(['editions', action, 'latest'], dir, NOW);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(
        `cannot ${action} edition 2026-11-24: it was sent to 1 reader, so it is history now`,
      );
    }
    expect((await broadsheet(['editions', 'show', 'latest'], dir, NOW)).stdout).toContain(
      'status: sent to 1',
    );
  });

  it('discards an unsent edition: its story goes in the next edition built', async () => {
    const dir = await initPublication(NOW);
    await broadsheet(['build'], dir, NOW);
    const discarded = await broadsheet(['editions', 'discard', 'latest'], dir, NOW);
    expect(discarded.status, discarded.stderr).toBe(0);
    expect(discarded.stderr).toContain('discarded edition 2026-11-24');
    expect((await broadsheet(['editions', 'list'], dir, NOW)).stdout).toBe(
      'no editions yet: `broadsheet build` records one\n',
    );
    const again = await broadsheet(['build'], dir, NOW);
    expect(again.stderr).toContain('newsletter: edition 2026-11-24: 1 story');
  });

  it('names an edition that does not exist and where to find the ids', async () => {
    const dir = await initPublication(NOW);
    const missing = await broadsheet(['editions', 'show', '2020-01-01'], dir, NOW);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no edition "2020-01-01" (`broadsheet editions list` shows the ids)');
  });
});

async function subjectOf(dir: string): Promise<string> {
  const json = await broadsheet(['editions', 'list', '--json'], dir, NOW);
  return (JSON.parse(json.stdout) as { subject: string }[])[0]?.subject ?? '';
}
