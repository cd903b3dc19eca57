/**
 * Token age and clock tolerance as settings (AUTH_MAX_TOKEN_AGE, AUTH_CLOCK_TOLERANCE_SECONDS), and the
 * memory of verified tokens: a token is remembered only until min(exp, iat + maximum age), so that a token
 * that has grown too old is refused even though it verified before (the event stream ends at that time too).
 */
import { describe, expect, it } from 'vitest';
import { createAuthenticator, tokenEndOf } from '../api/auth.js';
import { loadConfig } from '../runtime/config.js';
import { type PrincipalClaims, TEST_SECRET, token } from './kit/tokens.js';

const claims: PrincipalClaims = { sub: 'aging', land: 'BY', roles: ['viewer'] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('settings', () => {
  it('reads AUTH_MAX_TOKEN_AGE (ISO 8601) and AUTH_CLOCK_TOLERANCE_SECONDS, with defaults 24 h and 5 s', () => {
    expect(loadConfig({}).tokenLimits).toEqual({ maxTokenAgeSeconds: 86_400, clockToleranceSeconds: 5 });
    expect(loadConfig({ AUTH_MAX_TOKEN_AGE: 'PT8H', AUTH_CLOCK_TOLERANCE_SECONDS: '0' }).tokenLimits).toEqual(
      { maxTokenAgeSeconds: 28_800, clockToleranceSeconds: 0 },
    );
    expect(() => loadConfig({ AUTH_MAX_TOKEN_AGE: '8h' })).toThrow(/AUTH_MAX_TOKEN_AGE/);
    expect(() => loadConfig({ AUTH_MAX_TOKEN_AGE: 'PT30S' })).toThrow(/shorter than a minute/);
    expect(() => loadConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toThrow(/more than 300/);
    expect(() => loadConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '-1' })).toThrow(/AUTH_CLOCK_TOLERANCE_SECONDS/);
  });
});

describe('a remembered token', () => {
  it('is kept until iat + maximum age when that comes before exp', async () => {
    const authenticate = createAuthenticator(
      { mode: 'development', secret: TEST_SECRET },
      {},
      { maxTokenAgeSeconds: 2, clockToleranceSeconds: 0 },
    );
    const issuedAt = Math.floor(Date.now() / 1000);
    const value = await token(claims, '1h');
    const principal = await authenticate(`Bearer ${value}`);
    const end = tokenEndOf(principal) ?? 0;
    expect(end).toBeGreaterThanOrEqual((issuedAt + 2) * 1000);
    expect(end).toBeLessThanOrEqual((issuedAt + 3) * 1000);
    // remembered meanwhile
    expect(await authenticate(`Bearer ${value}`)).toBe(principal);
    await sleep(end - Date.now() + 1_100);
    await expect(authenticate(`Bearer ${value}`)).rejects.toMatchObject({ status: 401 });
  });

  it('is kept until exp when that comes first', async () => {
    const authenticate = createAuthenticator({ mode: 'development', secret: TEST_SECRET });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const principal = await authenticate(`Bearer ${await token(claims, exp)}`);
    expect(tokenEndOf(principal)).toBe(exp * 1000);
  });
});
