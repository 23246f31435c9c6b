import type { BounceKind, BounceVerdict } from './classify.ts';

/**
 * Amazon SES bounce and complaint notifications, as SES documents them ("Amazon SES
 * notification contents": `notificationType` Bounce | Complaint | Delivery with a `bounce`,
 * `complaint` or `delivery` object and the `mail` it is about; event publishing says
 * `eventType` instead). They arrive through SNS (an HTTPS POST of an SNS envelope whose
 * `Message` is this JSON) or as the body of an email.
 */
export interface SesNotification {
  notificationType?: string;
  eventType?: string;
  bounce?: {
    bounceType?: string;
    bounceSubType?: string;
    bouncedRecipients?: { emailAddress?: string; status?: string; diagnosticCode?: string }[];
  };
  complaint?: {
    complainedRecipients?: { emailAddress?: string }[];
    complaintFeedbackType?: string;
    complaintSubType?: string | null;
  };
  mail?: {
    messageId?: string;
    destination?: string[];
    headers?: { name?: string; value?: string }[];
  };
}

/**
 * SES's `bounceSubType` for a `Permanent` bounce: the address does not exist (General,
 * NoEmail) or SES will not try it (Suppressed, OnAccountSuppressionList) -> hard. A full
 * mailbox, a message too large or rejected content are about this message -> soft.
 */
const SOFT_PERMANENT = new Set(['MailboxFull', 'MessageTooLarge', 'ContentRejected', 'AttachmentRejected']);

/** One verdict per recipient the notification names (empty for a type we do not act on). */
export function sesVerdict(notification: SesNotification): BounceVerdict[] {
  const type = notification.notificationType ?? notification.eventType;
  if (type === 'Bounce' && notification.bounce) {
    const { bounceType = '', bounceSubType = '' } = notification.bounce;
    const kind: BounceKind =
      bounceType === 'Permanent' && !SOFT_PERMANENT.has(bounceSubType) ? 'hard' : 'soft';
    return (notification.bounce.bouncedRecipients ?? []).map((r) => ({
      kind,
      recipient: r.emailAddress ?? null,
      status: /^[245]\.\d{1,3}\.\d{1,3}/.exec(r.status ?? '')?.[0] ?? null,
      feedbackType: null,
      reason: `SES ${bounceType}/${bounceSubType}`,
    }));
  }
  if (type === 'Complaint' && notification.complaint) {
    const feedbackType = notification.complaint.complaintFeedbackType ?? 'abuse';
    return (notification.complaint.complainedRecipients ?? []).map((r) => ({
      kind: 'complaint' as const,
      recipient: r.emailAddress ?? null,
      status: null,
      feedbackType,
      reason: `SES complaint (${feedbackType})`,
    }));
  }
  if (type === 'Delivery')
    return (notification.mail?.destination ?? []).map((recipient) => ({
      kind: 'not-bounce' as const,
      recipient,
      status: null,
      feedbackType: null,
      reason: 'SES delivery',
    }));
  return [];
}

/** The original message's headers SES includes (unless truncated), as text to trace from. */
export function sesTraceText(notification: SesNotification): string {
  return (notification.mail?.headers ?? []).map((h) => `${h.name ?? ''}: ${h.value ?? ''}`).join('\n');
}
