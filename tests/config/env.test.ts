import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';

const noFiles = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

describe('secrets and machine settings from the environment', () => {
  it('means "outbox, no secret, clock time" when nothing is set', () => {
    expect(readEnv({}, noFiles)).toEqual({
      smtpUrl: null,
      unsubscribeSecret: null,
      dkim: null,
      sourceDateEpoch: null,
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

  it('ignores a SOURCE_DATE_EPOCH that is not a whole number of seconds', () => {
    expect(readEnv({ SOURCE_DATE_EPOCH: '2026-11-24' }, noFiles).sourceDateEpoch).toBeNull();
  });

  it('reads the DKIM key from a file and signs only when domain and selector are set too', () => {
    const files = (path: string): string => (path === '/keys/dkim.pem' ? 'PEM' : noFiles(path));
    const base = { DKIM_PRIVATE_KEY_FILE: '/keys/dkim.pem', DKIM_DOMAIN: 'ledger.example' };
    expect(readEnv(base, files).dkim).toBeNull();
    expect(readEnv({ ...base, DKIM_SELECTOR: 'mail' }, files).dkim).toEqual({
      domainName: 'ledger.example',
      keySelector: 'mail',
      privateKey: 'PEM',
    });
  });
});
