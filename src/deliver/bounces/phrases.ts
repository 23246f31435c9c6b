/**
 * What mail servers write when they refuse a message, grouped by what it means for the list.
 * Lower-case substrings, matched against the lower-cased report text (the original message cut
 * off). The phrases are the ones real servers send; many are taken from the reason classes of
 * the Sisimai project (BSD-2-Clause, github.com/sisimai), whose public corpus we score against.
 *
 * Order matters and follows Sisimai's: a full or suspended mailbox says "user" and "mailbox"
 * too, so the soft reasons are tried before "the address does not exist".
 */

/** The mailbox exists but cannot take mail now: full, too big, suspended, rate-limited, policy. */
export const SOFT_FIRST: readonly string[] = [
  // mailbox full
  'mailbox full',
  'mailbox is full',
  'mailbox has exceeded',
  'mailbox size limit exceeded',
  'over quota',
  'overquota',
  'quota exceeded',
  'exceeded storage allocation',
  'exceeding its mailbox quota',
  'exceeds its quota',
  'insufficient disk space',
  'not enough storage',
  'not enough space',
  'does not have enough space',
  'mailfolder is full',
  'user has exceeded',
  'full mailbox',
  'account is full',
  'boite du destinataire pleine',
  'mailbox would exceed',
  // message too big
  'message too large',
  'message is too large',
  'message size exceeds',
  'message exceeds the maximum',
  'size limit',
  'exceeded the maximum size',
  'message too big',
  // suspended or disabled accounts (Sisimai counts these as soft: they can come back)
  'is currently suspended',
  'has been suspended',
  'has been disabled',
  'account disabled',
  'account is disabled',
  'account has been disabled',
  'is disabled',
  'mailbox disabled',
  'mailbox is frozen',
  'inactive account',
  'account is inactive',
  'temporarily inactive',
  'user suspended',
  'is a deactivated mailbox',
  'account is locked',
  'temporary locked',
  'archived recipient',
  'mailbox unavailable or access denied',
  'mailbox currently suspended',
  'user is terminated',
  // relaying, authentication, reputation: about us, not about the address
  'relay access denied',
  'relaying denied',
  'not permitted to relay',
  'relay not permitted',
  'unable to relay',
  'we do not relay',
  'spf',
  'dkim',
  'dmarc',
  'authentication',
  // the sender, not the recipient, was refused (RFC 3463 X.1.7, X.1.8)
  'sender address',
  'domain of sender',
  'sender domain',
  'envelope sender',
  'in reply to mail from',
  'after mail from',
  '[mail_from]',
  // blocked, filtered, rate-limited: about this message or our server
  'blacklist',
  'blocklist',
  'block list',
  'too many recipients',
  'too many connections',
  'rate limit',
  'reverse dns',
  'ptr record',
  'spam',
  'virus',
  'content rejected',
  'media error',
  'policy',
  'reputation',
  'try again later',
  'greylist',
];

/**
 * The mailbox does not exist: hard when the server said so about the recipient (in reply to
 * RCPT TO, or with an X.1.x status), mailing it again can only hurt. The same words after
 * DATA, with no such status, come from a content filter (Sisimai's "filtered") and are soft.
 */
export const HARD_USER: readonly string[] = [
  'user unknown',
  'unknown user',
  'unknown recipient',
  'recipient unknown',
  'recipient not found',
  'recipient does not exist',
  'recipient not exist',
  'recipient address rejected: unknown',
  'recipient address rejected: invalid',
  'recipient address rejected: user',
  'recipient address rejected: access denied',
  'recipient is not local',
  'recipient is not accepted',
  'not a valid recipient',
  'invalid recipient',
  'no such recipient',
  'no such user',
  'no such mailbox',
  'no such address',
  'no such person',
  'no mailbox',
  'no account by that name',
  'user not found',
  'user not known',
  'user does not exist',
  'user not exist',
  'user doesn',
  'user missing home directory',
  'user not active',
  'mailbox not found',
  'mailbox does not exist',
  'mailbox not present',
  'mailbox unavailable',
  'mailbox unavaiable',
  'mailbox is unavailable',
  'mailbox is inactive',
  'mailbox invalid',
  'invalid mailbox',
  'unknown mailbox',
  'not a valid mailbox',
  'address does not exist',
  'address not present in directory',
  'address unknown',
  'address invalid',
  'invalid address',
  'bad address',
  'bad recipient',
  'badrcptto',
  'validrcptto',
  'does not exist',
  'doesn\u2019t exist',
  "doesn't exist",
  'no longer valid',
  'no longer accepts mail',
  'no one at this address',
  'is not a known user',
  'not a local address',
  'not our customer',
  'unknown local part',
  'unknown e-mail address',
  'unknown email address',
  'email account that you tried to reach does not exist',
  "isn't in my list of allowed rcpthosts",
  'envelope recipient has been denied',
  'utilisateur inconnu',
  'nessun utente',
  'no existe',
  'vdeliver: invalid',
  'resolver.adr.recipientnotfound',
  'resolver.adr.recipient notfound',
  'recipient notfound',
  'invalid final delivery userid',
  'not listed in domino directory',
  'not listed in public name & address book',
  'invalid user address',
  'recipient address rejected.',
  'no valid recipients',
  "doesn't have a",
  // Lotus Notes / Domino in Japanese: "not in the directory's list", "not found in the directory"
  '\u30c7\u30a3\u30ec\u30af\u30c8\u30ea\u306e\u30ea\u30b9\u30c8\u306b\u3042\u308a\u307e\u305b\u3093',
  '\u30c7\u30a3\u30ec\u30af\u30c8\u30ea\u306b\u306f\u898b\u3064\u304b\u308a\u307e\u305b\u3093',
];

/**
 * Words that name the account's absence so plainly that no content filter would use them:
 * hard even when said after DATA (Yahoo refuses unknown users there: "This user doesn't have
 * a yahoo.com account").
 */
export const HARD_USER_ANYWHERE: readonly string[] = [
  "doesn't have a",
  'does not have a',
  'account does not exist',
];

/**
 * The domain does not exist or takes no mail, or the address moved: hard whatever the
 * context.
 */
export const HARD_DOMAIN: readonly string[] = [
  // host or domain unknown
  'illegal host/domain',
  'host not found',
  'domain not found',
  'host unknown',
  'unknown host',
  'host or domain name not found',
  'domain does not exist',
  'no such domain',
  'unrouteable address',
  'unroutable address',
  'domain must exist',
  'domain is not reachable',
  'name or service not known',
  'mail domain mentioned in email address is unknown',
  'does not accept mail',
  'no mx record',
  'indicated no smtp service',
  'nullmx',
  'dns lookup failure',
  'not accepting network messages',
  // moved
  'has been replaced by',
];

/** Phrases of an auto-reply (RFC 3834) or a delivery success: not a bounce at all. */
export const AUTO_REPLY_SUBJECT =
  /\b(out of (the )?office|auto(matic)?[- ]?(reply|response|antwort)|vacation|abwesenheit|absence|on leave|away from)/i;
