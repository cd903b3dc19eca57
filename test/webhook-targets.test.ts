/**
 * The webhook allow-list's rules without a service: entries pin the port, https only in production, which
 * addresses are refused unless listed, and the settings (WEBHOOK_ALLOWED_HOSTS, WEBHOOK_SECRET_KEY[_FILE]).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressRefusal, targetRefusal } from '../db/webhook-targets.js';
import { openSecret, sealSecret } from '../db/webhooks.js';
import { signatureOf } from '../activities/notifications.js';
import { parseAllowListEntry, urlRefusal } from '../lib/url-allow-list.js';
import { loadConfig, webhookSecretKey } from '../runtime/config.js';

const refusal = (url: string, list: string[], httpsOnly = false) => urlRefusal(url, list, { httpsOnly });

describe('allow-list entries', () => {
  it.each([
    // [url, entries, allowed]
    ['https://hooks.example.org/x', ['hooks.example.org'], true],
    ['https://hooks.example.org:443/x', ['hooks.example.org'], true],
    ['http://hooks.example.org/x', ['hooks.example.org'], true],
    ['https://hooks.example.org:8443/x', ['hooks.example.org'], false],
    ['http://hooks.example.org:443/x', ['hooks.example.org'], false],
    ['https://hooks.example.org:8443/x', ['hooks.example.org:8443'], true],
    ['https://hooks.example.org/x', ['hooks.example.org:8443'], false],
    ['https://hooks.example.org:9/x', ['hooks.example.org:*'], true],
    ['https://HOOKS.example.org/x', ['hooks.example.org'], true],
    ['https://other.example.org/x', ['hooks.example.org:*'], false],
    ['http://[::1]:8080/x', ['[::1]:8080'], true],
    ['http://[::1]:8081/x', ['[::1]:8080'], false],
    ['http://10.0.0.5/x', ['10.0.0.0/8'], false],
  ])('%s with %j: allowed %s', (url, list, allowed) => {
    expect(refusal(url, list) === undefined).toBe(allowed);
  });

  it('refuses http in production, credentials and other schemes', () => {
    expect(refusal('http://hooks.example.org/x', ['hooks.example.org'], true)).toMatch(/https/);
    expect(refusal('https://hooks.example.org/x', ['hooks.example.org'], true)).toBeUndefined();
    expect(refusal('https://a:b@hooks.example.org/x', ['hooks.example.org'])).toMatch(/credentials/);
    expect(refusal('ftp://hooks.example.org/x', ['hooks.example.org'])).toMatch(/http/);
  });

  it('parses entries; only an address without a port or a range lets names resolve into it', () => {
    expect(parseAllowListEntry('10.0.0.5:8443')?.range).toBeUndefined();
    expect(parseAllowListEntry('10.0.0.5')?.range).toEqual({ address: '10.0.0.5', prefix: undefined });
    expect(parseAllowListEntry('fd00::/8')).toMatchObject({ host: undefined, range: { prefix: 8 } });
    for (const bad of ['host:99999', 'host:0', 'ho st', '10.0.0.0/33', 'https://host'])
      expect(parseAllowListEntry(bad), bad).toBeUndefined();
  });
});

describe('addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd12::1',
    'fe80::1',
    '::ffff:7f00:1',
  ])('refuses %s unless listed', (address) => {
    expect(addressRefusal(address, [])).toMatch(/loopback, private or reserved/);
    expect(addressRefusal(address, [`${address}:443`])).toMatch(/loopback, private or reserved/);
    expect(addressRefusal(address, [address.includes(':') ? '::/0' : '0.0.0.0/0'])).toBeUndefined();
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])
      expect(addressRefusal(address, [])).toBeUndefined();
  });

  it('resolves names: localhost is refused unless a range holds its addresses', async () => {
    expect(await targetRefusal('http://localhost:1/', ['localhost:*'])).toMatch(/loopback/);
    expect(await targetRefusal('http://localhost:1/', ['localhost:*', '127.0.0.0/8', '::1'])).toBeUndefined();
    // an address URL was named by its entry
    expect(await targetRefusal('http://127.0.0.1:1/', ['127.0.0.1:*'])).toBeUndefined();
  });
});

describe('signatures and sealed secrets', () => {
  it('signs "<id>.<timestamp>.<body>" (Standard Webhooks v1)', () => {
    const a = signatureOf('a-secret-of-some-length', 'msg_1', 1_700_000_000, '{}');
    expect(a).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(signatureOf('a-secret-of-some-length', 'msg_1', 1_700_000_001, '{}')).not.toBe(a);
    expect(signatureOf('a-secret-of-some-length', 'msg_2', 1_700_000_000, '{}')).not.toBe(a);
  });

  it('seals with AES-256-GCM: a fresh nonce each time, tampering detected', () => {
    const key = randomBytes(32);
    const one = sealSecret(key, 'id-1', 'the secret');
    expect(sealSecret(key, 'id-1', 'the secret')).not.toBe(one);
    expect(openSecret(key, 'id-1', one)).toBe('the secret');
    const [v, iv, data, tag] = one.split('.');
    const flipped = `${v}.${iv}.${data?.startsWith('A') ? 'B' : 'A'}${data?.slice(1)}.${tag}`;
    expect(() => openSecret(key, 'id-1', flipped)).toThrow();
    expect(() => openSecret(key, 'id-1', 'plain')).toThrow(/not sealed/);
  });
});

describe('settings', () => {
  const base = { DATA_DIR: mkdtempSync(join(tmpdir(), 'dd-webhook-config-')) };
  const production = {
    ...base,
    NODE_ENV: 'production',
    AUTH_MODE: 'oidc',
  };

  it('refuses allow-list entries of unknown form', () => {
    expect(() => loadConfig({ ...base, WEBHOOK_ALLOWED_HOSTS: 'ok.example.org, https://bad' })).toThrow(
      /WEBHOOK_ALLOWED_HOSTS: https:\/\/bad/,
    );
  });

  it('needs WEBHOOK_SECRET_KEY in production, 32 bytes in base64, also from a file', () => {
    // every process asks for the key at start (API, worker, migrate job): refused in production without it
    expect(() => webhookSecretKey(loadConfig(production))).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(webhookSecretKey(loadConfig(base))).toHaveLength(32);
    expect(() =>
      loadConfig({ ...production, WEBHOOK_SECRET_KEY: randomBytes(16).toString('base64') }),
    ).toThrow(/32 bytes/);
    const key = randomBytes(32);
    expect(
      loadConfig({ ...production, WEBHOOK_SECRET_KEY: key.toString('base64') }).webhookSecretKey,
    ).toEqual(key);
    const file = join(base.DATA_DIR, 'key');
    writeFileSync(file, `${key.toString('base64')}\n`);
    expect(loadConfig({ ...production, WEBHOOK_SECRET_KEY_FILE: file }).webhookSecretKey).toEqual(key);
    expect(loadConfig(base).webhookSecretKey).toBeUndefined();
  });
});
