/**
 * The webhook URL allow-list (WEBHOOK_ALLOWED_HOSTS): the API checks it when a subscription is made, the
 * worker again before every delivery.
 */

/** Whether a URL's host is on the allow-list (`host` or `host:port` entries). */
export function isAllowedUrl(url: string, allowedHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  return allowedHosts.some((entry) => entry === parsed.hostname || entry === parsed.host);
}
