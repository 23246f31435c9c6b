import type { Config } from '../config/index.ts';
import { signedToken, unsubscribeUrlFor, verifySignedToken } from './unsubscribe.ts';

/**
 * The "manage your subscription" link every message carries. Its own token context: this link
 * can erase a person, so an unsubscribe token (which a mail client may hold in a header) must not
 * open it. Like the unsubscribe link it never expires.
 */
const PREFERENCES_CONTEXT = 'broadsheet-preferences-v1';

export function preferencesToken(secret: string, subscriberId: number, email: string): string {
  return signedToken(PREFERENCES_CONTEXT, secret, subscriberId, email);
}

export function verifyPreferencesToken(
  secret: string,
  token: string,
  subscriberId: number,
  email: string,
): boolean {
  return verifySignedToken(PREFERENCES_CONTEXT, secret, token, subscriberId, email);
}

/** Where the preferences page is: `delivery.preferencesUrl`, else `<baseUrl>preferences`. */
export function preferencesEndpoint(config: Config): URL {
  return new URL(config.delivery.preferencesUrl ?? 'preferences', config.site.baseUrl);
}

/** This subscriber's signed preferences link. */
export function preferencesUrlFor(
  endpoint: URL,
  secret: string,
  subscriberId: number,
  email: string,
): string {
  return unsubscribeUrlFor(endpoint, preferencesToken(secret, subscriberId, email));
}
