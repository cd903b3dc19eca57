/**
 * Token signing, the one place that signs JWTs for tests, scripts and benchmarks: development tokens
 * (HS256 with the shared secret), and raw tokens of any header, payload and key for the tests that forge,
 * break or sign them as an identity provider would.
 */
import { SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { Land, Role } from '../../workflows/domain.js';

/** The development-mode secret the test harness's API accepts. */
export const TEST_SECRET = 'test-secret-for-development-mode-tokens';

export interface PrincipalClaims {
  sub: string;
  name?: string;
  land: Land;
  roles: Role[];
  /** The `ressort` claim: a key of the Land's Ressorts (workflows/ressorts.ts). */
  ressort?: string;
}

export interface SignOptions {
  /** The HS256 secret (development mode); TEST_SECRET unless given. */
  secret?: string;
  /** A duration (`'1h'`) or an absolute time in seconds since the epoch. */
  expiresIn?: string | number;
}

/** A development token for `claims`: HS256, subject, issued now, expiring in an hour unless told otherwise. */
export function token(claims: PrincipalClaims, options: SignOptions | string | number = {}): Promise<string> {
  const { secret = TEST_SECRET, expiresIn = '1h' } =
    typeof options === 'object' ? options : { expiresIn: options };
  return signJwt(
    {
      name: claims.name ?? `Test ${claims.sub}`,
      land: claims.land,
      roles: claims.roles,
      ...(claims.ressort === undefined ? {} : { ressort: claims.ressort }),
    },
    new TextEncoder().encode(secret),
    { header: { alg: 'HS256' }, subject: claims.sub, issuedAt: true, expiresIn },
  );
}

/**
 * Any JWT: `payload` as given, signed with `key` under `header` (alg defaults to HS256); subject, issue and
 * expiry times only when asked for.
 */
export function signJwt(
  payload: JWTPayload,
  key: Parameters<SignJWT['sign']>[0] | string,
  options: {
    header?: Partial<JWTHeaderParameters>;
    subject?: string;
    issuedAt?: boolean;
    expiresIn?: string | number;
  } = {},
): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...options.header });
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  if (options.issuedAt) jwt.setIssuedAt();
  if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
  return jwt.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}
