/**
 * Where a webhook may connect to: a host name resolved, and every address public unless WEBHOOK_ALLOWED_HOSTS
 * holds it (an address without a port or a CIDR range, lib/url-allow-list.ts). An address URL needs an
 * allow-list entry naming that address and is not checked further. The API checks this when a subscription is
 * made; the worker checks the addresses it actually connects to (`guardedLookup`), so that a DNS answer that
 * changed since (DNS rebinding) cannot lead a delivery into the internal network.
 *
 * It lives in db/ because both api/ and activities/ need it and db/ is the lowest floor that may use Node's
 * DNS (lib/ holds pure code only).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { hostOf, parseAllowListEntry } from '../lib/url-allow-list.js';

/** Addresses that are not public unicast (IANA special-purpose registries): loopback, private, link-local … */
const SPECIAL = new BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(address, prefix, 'ipv6');

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The addresses and ranges WEBHOOK_ALLOWED_HOSTS lets a host resolve into. */
function listedAddresses(allowedHosts: readonly string[]): BlockList {
  const listed = new BlockList();
  for (const raw of allowedHosts) {
    const range = parseAllowListEntry(raw)?.range;
    if (!range || isIP(range.address) === 0) continue;
    if (range.prefix === undefined) listed.addAddress(range.address, family(range.address));
    else listed.addSubnet(range.address, range.prefix, family(range.address));
  }
  return listed;
}

/** Why a webhook must not connect to `address`, if it must not. */
export function addressRefusal(address: string, allowedHosts: readonly string[]): string | undefined {
  if (isIP(address) === 0) return `${address} is not an address`;
  if (!SPECIAL.check(address, family(address))) return undefined;
  if (listedAddresses(allowedHosts).check(address, family(address))) return undefined;
  return `resolves to ${address}, a loopback, private or reserved address that WEBHOOK_ALLOWED_HOSTS does not list`;
}

/** The host did not resolve at all (a 400 at subscribing, unlike a DNS outage). */
export class UnresolvableHost extends Error {}

const lookupAll = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (!error) resolve(addresses);
      else if (error.code === 'ENOTFOUND' || error.code === 'ENODATA')
        reject(new UnresolvableHost(`${hostname} does not resolve`));
      else reject(error);
    }),
  );

/**
 * Why a webhook URL's host must not be connected to (its resolved addresses), if it must not. Throws
 * UnresolvableHost for a name without addresses, and DNS errors as they are (an outage).
 */
export async function targetRefusal(
  url: string,
  allowedHosts: readonly string[],
): Promise<string | undefined> {
  const host = hostOf(new URL(url));
  // An address URL passed the allow-list only through an entry naming that very address.
  if (isIP(host) !== 0) return undefined;
  for (const { address } of await lookupAll(host)) {
    const refusal = addressRefusal(address, allowedHosts);
    if (refusal) return refusal;
  }
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that refuses the connection when any address the name resolves to is
 * refused: the addresses checked are the ones connected to. (An address URL is not looked up.)
 */
export function guardedLookup(allowedHosts: readonly string[]) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, allowedHosts);
        if (refusal)
          return callback(
            Object.assign(new Error(`${hostname} ${refusal}`), { code: 'EREFUSEDADDRESS' }),
            [],
          );
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first)
        return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
