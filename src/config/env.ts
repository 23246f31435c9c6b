import type { Diagnostic } from '../types.ts';
import { ConfigError } from './files.ts';

/**
 * Secrets and machine-specific settings come from the environment, never the config file.
 * Read once at the CLI edge; nothing below the CLI reads `process.env`.
 */
export interface Env {
  /** e.g. `smtps://user:pass@mail.example.com:465`; unset means the outbox folder. */
  smtpUrl: string | null;
  /** HMAC key for unsubscribe tokens. */
  unsubscribeSecret: string | null;
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** Seconds since the epoch (reproducible builds); the build's "now" when set. */
  sourceDateEpoch: number | null;
  /**
   * BROADSHEET_DATABASE_URL: `postgres://…` puts the delivery state in PostgreSQL, shared by
   * senders on several machines (docs/scale-out.md); unset means the SQLite state file.
   */
  databaseUrl: string | null;
}

/** 9999-12-31T23:59:59Z: the last instant RFC 3339 and RFC 822 dates (feeds, mail) can write. */
const LAST_EPOCH = 253_402_300_799;

/**
 * Reads the environment. Secrets may also come from a file named by `<NAME>_FILE` (Docker and
 * systemd credentials, a mode-600 file for cron), which keeps them out of `ps` and shell history.
 * A value that is set but wrong is an error naming the variable (exit 2), never silently ignored:
 * a malformed SOURCE_DATE_EPOCH would quietly make builds unreproducible, a half-set DKIM would
 * quietly send unsigned mail.
 */
export function readEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string): Env {
  const problems: string[] = [];
  const secret = (name: string): string | null => {
    const direct = env[name]?.trim();
    if (direct) return direct;
    const file = env[`${name}_FILE`]?.trim();
    if (!file) return null;
    try {
      return readFile(file).trim() || null;
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file}: ${(error as Error).message}`);
      return null;
    }
  };

  const epochText = env.SOURCE_DATE_EPOCH?.trim();
  let sourceDateEpoch: number | null = null;
  if (epochText) {
    // reproducible-builds.org: a malformed value should stop the build rather than be ignored.
    if (!/^\d+$/.test(epochText))
      problems.push(`SOURCE_DATE_EPOCH: got "${epochText}"; expected whole seconds since 1970-01-01 UTC`);
    else if (Number(epochText) > LAST_EPOCH)
      // Past the year 9999 no feed or page can write the date; milliseconds are the usual slip.
      problems.push(
        `SOURCE_DATE_EPOCH: got "${epochText}", after 9999-12-31; expected whole seconds since 1970-01-01 UTC${epochText.length >= 13 ? ' (milliseconds? divide by 1000)' : ''}`,
      );
    else sourceDateEpoch = Number(epochText);
  }

  const smtpUrl = secret('SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\/[^/]/.test(smtpUrl)) {
    // Never echo the value: it usually holds a password.
    problems.push('SMTP_URL: expected smtp://user:pass@host:port or smtps://…');
  }

  const dkimKey = secret('DKIM_PRIVATE_KEY');
  const dkimDomain = env.DKIM_DOMAIN?.trim() || null;
  const dkimSelector = env.DKIM_SELECTOR?.trim() || null;
  const dkimParts = { DKIM_DOMAIN: dkimDomain, DKIM_SELECTOR: dkimSelector, DKIM_PRIVATE_KEY: dkimKey };
  const missing = Object.entries(dkimParts)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0 && missing.length < 3) {
    problems.push(
      `DKIM: signing needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or _FILE); missing ${missing.join(', ')}`,
    );
  }

  const databaseUrl = secret('BROADSHEET_DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    // Never echo the value: it usually holds a password.
    problems.push('BROADSHEET_DATABASE_URL: expected postgres://user:pass@host:port/database');
  }

  if (problems.length) throw new ConfigError(problems.map(envDiagnostic));
  return {
    smtpUrl,
    unsubscribeSecret: secret('BROADSHEET_UNSUBSCRIBE_SECRET'),
    dkim:
      dkimKey && dkimDomain && dkimSelector
        ? { domainName: dkimDomain, keySelector: dkimSelector, privateKey: dkimKey }
        : null,
    sourceDateEpoch,
    databaseUrl,
  };
}

function envDiagnostic(message: string): Diagnostic {
  return { severity: 'error', code: 'config/env', message };
}
