/** Hosts where a plain-http unsubscribe endpoint is a local preview, not a real list. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * RFC 8058 one-click needs an https URI; Gmail and Yahoo require one-click for bulk mail. Real
 * mail (SMTP, not a dry run) to a non-local http endpoint is refused; anything else (the
 * outbox, a preview with `serve`, a test SMTP catcher) goes ahead with a warning.
 */
export function checkOneClick(
  endpoint: URL,
  realMail: boolean,
): { ok: true; warning?: string } | { ok: false; error: string } {
  if (endpoint.protocol === 'https:') return { ok: true };
  const problem = `the unsubscribe URL ${endpoint.origin}${endpoint.pathname} is not https (RFC 8058 one-click, required by Gmail and Yahoo, needs https): set site.baseUrl or delivery.unsubscribeUrl`;
  if (realMail && !LOCAL_HOSTS.includes(endpoint.hostname)) return { ok: false, error: problem };
  return { ok: true, warning: `warning: ${problem} before sending real mail` };
}
