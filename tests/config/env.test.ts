import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/load.ts';

const noFiles = (path: string): string => {
  throw new Error(`ENOENT: no such file or directory, open '${path}'`);
};

/** The messages readEnv refuses the environment with. */
function problemsOf(env: NodeJS.ProcessEnv, files = noFiles): string[] {
  try {
    readEnv(env, files);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).diagnostics.map((d) => d.message);
  }
  throw new Error('the environment was accepted');
}

describe('secrets and machine settings from the environment', () => {
  it('means "outbox, no secret, clock time" when nothing is set', () => {
    expect(readEnv({}, noFiles)).toEqual({
      smtpUrl: null,
      unsubscribeSecret: null,
      dkim: null,
      sourceDateEpoch: null,
      databaseUrl: null,
    });
  });

  it('reads SMTP, the unsubscribe secret and SOURCE_DATE_EPOCH, trimming stray whitespace', () => {
    const env = readEnv(
      {
        SMTP_URL: ' smtps://user:pass@mail.example.com:465 ',
        BROADSHEET_UNSUBSCRIBE_SECRET: 's3cret\n',
        SOURCE_DATE_EPOCH: '1764000000',
      },
      noFiles,
    );
    expect(env.smtpUrl).toBe('smtps://user:pass@mail.example.com:465');
    expect(env.unsubscribeSecret).toBe('s3cret');
    expect(env.sourceDateEpoch).toBe(1764000000);
  });

  it('reads secrets from <NAME>_FILE, the variable itself winning', () => {
    const files = (path: string): string =>
      ({ '/run/secrets/smtp': 'smtp://u:p@mail.example.com:587\n', '/run/secrets/unsub': 'filed\n' })[path] ??
      noFiles(path);
    const env = readEnv(
      { SMTP_URL_FILE: '/run/secrets/smtp', BROADSHEET_UNSUBSCRIBE_SECRET_FILE: '/run/secrets/unsub' },
      files,
    );
    expect(env.smtpUrl).toBe('smtp://u:p@mail.example.com:587');
    expect(env.unsubscribeSecret).toBe('filed');
    expect(
      readEnv(
        { BROADSHEET_UNSUBSCRIBE_SECRET: 'direct', BROADSHEET_UNSUBSCRIBE_SECRET_FILE: '/run/secrets/unsub' },
        files,
      ).unsubscribeSecret,
    ).toBe('direct');
  });

  it('refuses a SOURCE_DATE_EPOCH that is not whole seconds, as reproducible-builds.org asks', () => {
    expect(problemsOf({ SOURCE_DATE_EPOCH: '2026-11-24' })).toEqual([
      'SOURCE_DATE_EPOCH: got "2026-11-24"; expected whole seconds since 1970-01-01 UTC',
    ]);
  });

  it('refuses a SOURCE_DATE_EPOCH past 9999-12-31 (no feed or page can write it), hinting at milliseconds', () => {
    // The build stopped with a stack trace (RangeError: Invalid time value) deep in normalize.
    expect(problemsOf({ SOURCE_DATE_EPOCH: '1795521600000' })).toEqual([
      'SOURCE_DATE_EPOCH: got "1795521600000", after 9999-12-31; expected whole seconds since 1970-01-01 UTC (milliseconds? divide by 1000)',
    ]);
    expect(problemsOf({ SOURCE_DATE_EPOCH: '253402300800' })).toEqual([
      'SOURCE_DATE_EPOCH: got "253402300800", after 9999-12-31; expected whole seconds since 1970-01-01 UTC',
    ]);
    expect(readEnv({ SOURCE_DATE_EPOCH: '253402300799' }, noFiles).sourceDateEpoch).toBe(253402300799);
  });

  it('refuses an SMTP_URL that is not smtp(s):// without echoing the password in it', () => {
    const [message] = problemsOf({ SMTP_URL: 'mail.example.com:user:hunter2' });
    expect(message).toMatch(/^SMTP_URL: expected smtp:\/\//);
    expect(message).not.toContain('hunter2');
  });

  it('names a secret file it cannot read', () => {
    expect(problemsOf({ SMTP_URL_FILE: '/run/secrets/missing' })[0]).toMatch(
      /^SMTP_URL_FILE: cannot read \/run\/secrets\/missing: ENOENT/,
    );
  });

  it('signs with DKIM only when all three parts are set, and says which part is missing', () => {
    const files = (path: string): string => (path === '/keys/dkim.pem' ? 'PEM' : noFiles(path));
    const base = { DKIM_PRIVATE_KEY_FILE: '/keys/dkim.pem', DKIM_DOMAIN: 'ledger.example' };
    expect(problemsOf(base, files)).toEqual([
      'DKIM: signing needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or _FILE); missing DKIM_SELECTOR',
    ]);
    expect(readEnv({ ...base, DKIM_SELECTOR: 'mail' }, files).dkim).toEqual({
      domainName: 'ledger.example',
      keySelector: 'mail',
      privateKey: 'PEM',
    });
  });
});

describe('BROADSHEET_DATABASE_URL', () => {
  it('names a PostgreSQL database, also from a _FILE', () => {
    expect(
      readEnv({ BROADSHEET_DATABASE_URL: 'postgres://bs@db:5432/broadsheet' }, noFiles).databaseUrl,
    ).toBe('postgres://bs@db:5432/broadsheet');
    expect(
      readEnv({ BROADSHEET_DATABASE_URL_FILE: '/run/secrets/db' }, () => 'postgresql://bs:pw@db/bs\n')
        .databaseUrl,
    ).toBe('postgresql://bs:pw@db/bs');
  });

  it('refuses anything else without echoing it (it holds a password)', () => {
    const env = { BROADSHEET_DATABASE_URL: 'mysql://root:hunter2@db/bs' };
    expect(() => readEnv(env, noFiles)).toThrow(/BROADSHEET_DATABASE_URL: expected postgres:/);
    expect(() => readEnv(env, noFiles)).not.toThrow(/hunter2/);
  });
});
