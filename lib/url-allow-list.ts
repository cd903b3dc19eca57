/**
 * The webhook URL allow-list (WEBHOOK_ALLOWED_HOSTS): the API checks it when a subscription is made, the
 * worker again before every delivery.
 *
 * Entries:
 * - `host` allows the host on its scheme's default port only (443 for https, 80 for http);
 * - `host:port` allows that port only, `host:*` any port (asked for explicitly);
 * - a host may be a name or an address (`10.0.0.5:8443`, `[fd00::5]:8443`): an address URL is allowed by the
 *   entry that names it, whatever kind of address it is;
 * - a name must resolve to public addresses only, unless an address without a port (`10.0.0.5`) or a CIDR
 *   range (`10.20.0.0/16`, `fd00::/8`) on the list holds the address (the resolution is checked in
 *   db/webhook-targets.ts, which may use Node's DNS). A range allows no URL host by itself.
 */

export interface AllowListEntry {
  /** Lower case, IPv6 without brackets; undefined for a range entry. */
  host: string | undefined;
  /** A port, `*` for any, or `default` (the scheme's). */
  port: number | '*' | 'default';
  /** The address or range the entry lets a host resolve into, if it names one. */
  range: { address: string; prefix: number | undefined } | undefined;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const looksLikeAddress = (host: string) => IPV4.test(host) || host.includes(':');

/** One entry, or undefined when it is not of a form above. */
export function parseAllowListEntry(raw: string): AllowListEntry | undefined {
  const entry = raw.trim().toLowerCase();
  const range = /^([\d.]+|[\da-f:.]+)\/(\d{1,3})$/.exec(entry);
  if (range?.[1] && range[2]) {
    const prefix = Number(range[2]);
    if (prefix > (range[1].includes(':') ? 128 : 32)) return undefined;
    return { host: undefined, port: 'default', range: { address: range[1], prefix } };
  }
  const bracketed = /^\[([\da-f:.]+)\](?::(\d{1,5}|\*))?$/.exec(entry);
  const plain = /^([a-z\d.-]+)(?::(\d{1,5}|\*))?$/.exec(entry);
  const bare = !bracketed && !plain && /^[\da-f:.]+$/.test(entry) && entry.includes(':') ? entry : undefined;
  const host = bracketed?.[1] ?? plain?.[1] ?? bare;
  if (host === undefined || host === '') return undefined;
  const rawPort = bracketed?.[2] ?? plain?.[2];
  const port = rawPort === undefined ? 'default' : rawPort === '*' ? '*' : Number(rawPort);
  if (typeof port === 'number' && (port < 1 || port > 65_535)) return undefined;
  return {
    host,
    port,
    // `10.0.0.5:8443` names an address URLs may use; only `10.0.0.5` (no port) lets names resolve into it.
    range: looksLikeAddress(host) && rawPort === undefined ? { address: host, prefix: undefined } : undefined,
  };
}

/** The entries that do not parse (for the configuration's error message). */
export const invalidAllowListEntries = (entries: readonly string[]) =>
  entries.filter((entry) => parseAllowListEntry(entry) === undefined);

/** The URL's port, the scheme's default when it names none. */
export function effectivePort(url: URL): number {
  return url.port === '' ? defaultPort(url) : Number(url.port);
}

const defaultPort = (url: URL) => (url.protocol === 'https:' ? 443 : 80);

/** The URL's host as the entries spell it: lower case, IPv6 without brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** Why a webhook URL is refused by its form and the allow-list, if it is (the addresses come later). */
export function urlRefusal(
  url: string,
  allowedHosts: readonly string[],
  { httpsOnly }: { httpsOnly: boolean },
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http or https URL';
  if (httpsOnly && parsed.protocol !== 'https:') return 'must be an https URL (NODE_ENV=production)';
  if (parsed.username !== '' || parsed.password !== '')
    return 'must not carry credentials (the secret signs every delivery)';
  const host = hostOf(parsed);
  const port = effectivePort(parsed);
  const allowed = allowedHosts.some((raw) => {
    const entry = parseAllowListEntry(raw);
    if (entry?.host !== host) return false;
    const wanted = entry.port === 'default' ? defaultPort(parsed) : entry.port;
    return wanted === '*' || wanted === port;
  });
  if (!allowed) return `host and port ${parsed.host} are not in WEBHOOK_ALLOWED_HOSTS`;
  return undefined;
}

/** Whether a URL's form and host (with its port) pass the allow-list. */
export const isAllowedUrl = (url: string, allowedHosts: readonly string[], httpsOnly = false) =>
  urlRefusal(url, allowedHosts, { httpsOnly }) === undefined;
