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
}

export function readEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string): Env {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  const dkimKey =
    env.DKIM_PRIVATE_KEY ?? (env.DKIM_PRIVATE_KEY_FILE ? readFile(env.DKIM_PRIVATE_KEY_FILE) : null);
  return {
    smtpUrl: env.SMTP_URL?.trim() || null,
    unsubscribeSecret: env.BROADSHEET_UNSUBSCRIBE_SECRET?.trim() || null,
    dkim:
      dkimKey && env.DKIM_DOMAIN && env.DKIM_SELECTOR
        ? { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey: dkimKey }
        : null,
    sourceDateEpoch: epoch && /^\d+$/.test(epoch) ? Number(epoch) : null,
  };
}
