/**
 * Production-mode authentication (NODE_ENV=production): RS256/ES256 tokens verified against an OIDC
 * issuer's JWKS, here served on loopback by the test with keys of its own, in front of a second API on the
 * harness's database. Also: start-up refuses production without the three OIDC variables, and
 * `npm run token` refuses to mint development tokens in production.
 */
import { createServer, type Server } from 'node:http';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../api/auth.js';
import { HttpProblem } from '../api/problems.js';
import { authSettings } from '../main/api.js';
import { ConfigError, loadConfig } from '../runtime/config.js';
import { type ExtraApp, signJwt, startExtraApp, useHarness } from './kit/index.js';
import { childEnv, runProcess } from './helpers/spawn.js';

const ISSUER = 'https://login.digital-dialog.example/realms/dd';
const AUDIENCE = 'digital-dialog-api';

interface KeyPair {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
  pem: string;
}

async function keyPair(alg: 'RS256' | 'ES256' | 'RS512', kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return {
    kid,
    alg,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    pem: await exportSPKI(publicKey),
  };
}

/** The issuer's key set, as the JWKS endpoint serves it right now, and how often it was fetched. */
const jwks: { keys: JWK[]; fetches: number } = { keys: [], fetches: 0 };
let jwksServer: Server;
let jwksUrl: string;
const harness = useHarness({ worker: false });
let api: ExtraApp;
let rsa: KeyPair;
let ec: KeyPair;
let stranger: KeyPair;
let rs512: KeyPair;

beforeAll(async () => {
  [rsa, ec, stranger, rs512] = await Promise.all([
    keyPair('RS256', 'rsa-2026-01'),
    keyPair('ES256', 'ec-2026-01'),
    keyPair('RS256', 'stranger'),
    keyPair('RS512', 'rsa512-2026-01'),
  ]);
  jwks.keys = [rsa.jwk, ec.jwk, rs512.jwk];
  jwksServer = createServer((request, response) => {
    if (request.url !== '/protocol/openid-connect/certs') {
      response.writeHead(404).end();
      return;
    }
    jwks.fetches++;
    response
      .writeHead(200, { 'content-type': 'application/jwk-set+json' })
      .end(JSON.stringify({ keys: jwks.keys }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const address = jwksServer.address();
  if (!address || typeof address === 'string') throw new Error('the JWKS server did not bind a port');
  jwksUrl = `http://127.0.0.1:${address.port}/protocol/openid-connect/certs`;

  // No cooldown between refetches on an unknown kid, so that rotation is testable without waiting 30 s.
  api = await startExtraApp(
    harness,
    createAuthenticator(
      { mode: 'production', issuer: ISSUER, audience: AUDIENCE, jwksUrl },
      { cooldownDuration: 0 },
    ),
  );
});
afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}): JWTPayload => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'oidc-r-by',
  name: 'C. Maier',
  land: 'BY',
  roles: ['reviewer'],
  iat: now(),
  exp: now() + 600,
  ...overrides,
});
const sign = (key: KeyPair, payload: JWTPayload = claims(), header: Record<string, unknown> = {}) =>
  signJwt(payload, key.privateKey, { header: { alg: key.alg, kid: key.kid, typ: 'JWT', ...header } });
const hs256 = (secret: string | Uint8Array, header: Record<string, unknown> = {}) =>
  signJwt(claims(), secret, { header: { alg: 'HS256', typ: 'JWT', ...header } });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expectStatus(token: string, status: number, what: string): Promise<void> {
  const response = await api.get<{ status?: number; title?: string }>('/v1/initiatives', token);
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(status);
  if (status === 401) {
    expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
    expect(response.body.title, what).toBe('Not authenticated');
  }
}

describe('production mode: tokens from the OIDC issuer', () => {
  it('accepts RS256 and ES256 tokens signed by a key of the JWKS with the right iss, aud and exp', async () => {
    await expectStatus(await sign(rsa), 200, 'RS256');
    await expectStatus(await sign(ec), 200, 'ES256');
    const admin = await sign(ec, claims({ sub: 'oidc-admin', land: 'BE', roles: ['admin'] }));
    expect((await api.get('/v1/audit/verify', admin)).status).toBe(200);
  });

  it('caches the key set: known keys cause no refetch', async () => {
    const before = jwks.fetches;
    expect(before).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) await expectStatus(await sign(i % 2 ? rsa : ec), 200, `token ${i}`);
    expect(jwks.fetches).toBe(before);
  });

  it('refuses every token it must not trust (401)', async () => {
    const valid = await sign(rsa);
    const [header, , signature] = valid.split('.');
    const refused: [string, string][] = [
      ['another key under a known kid', await sign({ ...stranger, kid: rsa.kid })],
      ['another key under an unknown kid', await sign(stranger)],
      ['a tampered payload', `${header}.${b64url(claims({ land: 'NW' }))}.${signature}`],
      ['an expired token', await sign(rsa, claims({ exp: now() - 60, iat: now() - 700 }))],
      ['no exp claim', await sign(rsa, claims({ exp: undefined }))],
      ['a wrong audience', await sign(rsa, claims({ aud: 'some-other-api' }))],
      ['a wrong issuer', await sign(rsa, claims({ iss: 'https://evil.example/realms/dd' }))],
      ['no issuer', await sign(rsa, claims({ iss: undefined }))],
      ['alg none', `${b64url({ alg: 'none', typ: 'JWT', kid: rsa.kid })}.${b64url(claims())}.`],
      ['HS256 with any secret', await hs256('any-shared-secret-of-sufficient-length')],
      // the classic confusion: the issuer's public key used as an HMAC secret
      ['HS256 keyed with the public key', await hs256(new TextEncoder().encode(rsa.pem), { kid: rsa.kid })],
      ['RS512 (not among RS256/ES256), though its key is in the JWKS', await sign(rs512)],
      ['ES256 header over an RSA key', await sign({ ...ec, kid: rsa.kid })],
      ['an unknown role', await sign(rsa, claims({ roles: ['reviewer', 'superuser'] }))],
    ];
    for (const [what, token] of refused) await expectStatus(token, 401, what);
  });

  it('follows key rotation: a new kid is fetched and accepted, a key dropped from the JWKS is refused', async () => {
    const rotated = await keyPair('RS256', 'rsa-2026-07');
    const oldToken = await sign(rsa);
    await expectStatus(oldToken, 200, 'before the rotation');
    jwks.keys = [rotated.jwk, ec.jwk];
    const before = jwks.fetches;
    await expectStatus(await sign(rotated), 200, 'a token with the new kid');
    expect(jwks.fetches).toBe(before + 1);
    await expectStatus(await sign(rotated), 200, 'again, from the cache');
    expect(jwks.fetches).toBe(before + 1);
    await expectStatus(oldToken, 401, 'a token of the dropped key');
  });
});

describe('production configuration', () => {
  const complete = {
    NODE_ENV: 'production',
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_URL: 'https://login.digital-dialog.example/certs',
  };

  it('authSettings needs AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL when NODE_ENV=production', () => {
    for (const missing of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'] as const) {
      for (const value of [undefined, '']) {
        const env: NodeJS.ProcessEnv = {
          ...complete,
          AUTH_JWT_SECRET: 'a-development-secret-at-least-32-bytes',
        };
        if (value === undefined) delete env[missing];
        else env[missing] = value;
        const what = `${missing}=${String(value)}`;
        expect(() => authSettings(loadConfig(env), env), what).toThrow(ConfigError);
        expect(() => authSettings(loadConfig(env), env), what).toThrow(
          /AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL/,
        );
      }
    }
    expect(authSettings(loadConfig(complete), complete)).toEqual({
      mode: 'production',
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: complete.AUTH_JWKS_URL,
    });
    const development = { AUTH_JWT_SECRET: 'a-development-secret-at-least-32-bytes' };
    expect(authSettings(loadConfig(development), development)).toEqual({
      mode: 'development',
      secret: 'a-development-secret-at-least-32-bytes',
    });
  });

  const tokenArgs = ['run', '-s', 'token', '--', '--sub', 'u1', '--name', 'A. Huber', '--land', 'BY'];

  it('npm run token refuses in production (exit 2, no token)', async () => {
    const refused = await runProcess(
      'npm',
      [...tokenArgs, '--roles', 'proposer'],
      childEnv({ ...complete, AUTH_JWT_SECRET: 'a-development-secret-at-least-32-bytes' }),
    );
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stdout.trim()).toBe('');
    expect(refused.stderr).toMatch(/refused when NODE_ENV=production/);

    // control: the same command in development mode mints a token for that secret
    const minted = await runProcess(
      'npm',
      [...tokenArgs, '--roles', 'proposer'],
      childEnv({ AUTH_JWT_SECRET: 'a-development-secret-at-least-32-bytes' }),
    );
    expect(minted.code, minted.stderr).toBe(0);
    const { payload, protectedHeader } = await jwtVerify(
      minted.stdout.trim(),
      new TextEncoder().encode('a-development-secret-at-least-32-bytes'),
    );
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'u1', name: 'A. Huber', land: 'BY', roles: ['proposer'] });
  });
});

describe('production mode: the review findings on tokens', () => {
  it('an ID token (typ ID, or a header typ other than JWT/at+jwt) is refused; at+jwt and typ Bearer pass', async () => {
    await expectStatus(await sign(ec, claims({ typ: 'ID' })), 401, 'Keycloak ID token');
    await expectStatus(await sign(ec, claims(), { typ: 'id+jwt' }), 401, 'header typ id+jwt');
    await expectStatus(await sign(ec, claims(), { typ: 'at+jwt' }), 200, 'RFC 9068 access token');
    await expectStatus(
      await sign(ec, claims({ typ: 'Bearer', sub: 'oidc-bearer' })),
      200,
      'Keycloak access token',
    );
  });

  it('a token older than the maximum age is refused; a small clock difference is tolerated', async () => {
    const old = claims({ sub: 'oidc-old', iat: now() - 25 * 3600, exp: now() + 600 });
    await expectStatus(await sign(ec, old), 401, 'iat 25 h ago (default maximum 24 h)');
    const withoutIat = claims({ sub: 'oidc-no-iat' });
    delete withoutIat.iat;
    await expectStatus(await sign(ec, withoutIat), 401, 'no iat');
    const ahead = claims({ sub: 'oidc-ahead', iat: now() + 3, nbf: now() + 3 });
    await expectStatus(await sign(ec, ahead), 200, 'issued 3 s ahead (tolerance 5 s)');
    const farAhead = claims({ sub: 'oidc-far-ahead', iat: now() + 120, nbf: now() + 120 });
    await expectStatus(await sign(ec, farAhead), 401, 'issued 2 min ahead');
  });

  it('a key set answering 5xx, bad JSON or an empty set → 503 (not 401, which signs everyone out)', async () => {
    let answer: { status: number; body: string } = { status: 500, body: 'down' };
    const failing = createServer((_request, response) => {
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const address = failing.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    try {
      for (const [what, served] of [
        ['500', { status: 500, body: 'down' }],
        ['502', { status: 502, body: '<html>bad gateway</html>' }],
        ['not JSON', { status: 200, body: '<html>login</html>' }],
        ['not a key set', { status: 200, body: '{"keys":"none"}' }],
        ['an empty set', { status: 200, body: '{"keys":[]}' }],
      ] as const) {
        answer = served;
        const authenticate = createAuthenticator(
          {
            mode: 'production',
            issuer: ISSUER,
            audience: AUDIENCE,
            jwksUrl: `http://127.0.0.1:${address.port}/certs`,
          },
          { cooldownDuration: 0 },
        );
        const refused = await authenticate(`Bearer ${await sign(rsa)}`).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused, what).toBeInstanceOf(HttpProblem);
        expect((refused as HttpProblem).status, what).toBe(503);
      }
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});
