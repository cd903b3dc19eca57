/**
 * Bearer-token authentication. Development mode: HS256 with a shared secret. Production mode
 * (NODE_ENV=production): asymmetric tokens verified against the OIDC issuer's JWKS; HS256 is refused.
 */
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { LANDS, ROLES, type Land, type Role } from '../workflows/domain.js';
import { unknownRessort } from '../workflows/ressorts.js';
import { isStorableText } from './hardening.js';
import { HttpProblem } from './problems.js';

export interface Principal {
  sub: string;
  name: string;
  land: Land;
  roles: Role[];
  /** The token's `ressort` claim: a key of the principal's Land (workflows/ressorts.ts); absent for a Land-wide role. */
  ressort?: string;
  /** Who vouched for the principal: the issuer (`iss`) in production, `dev` in development mode. */
  iss?: string;
}

export interface Authenticator {
  (authorization: string | undefined): Promise<Principal>;
  /** Development mode only: mints a token this authenticator accepts (production authenticators have none). */
  readonly mintDevelopmentToken?: (principal: Principal, ttl?: string) => Promise<string>;
}

export type AuthSettings =
  | { mode: 'development'; secret: string }
  | { mode: 'production'; issuer: string; audience: string; jwksUrl: string };

const unauthenticated = (detail: string) => new HttpProblem(401, detail);

function principalFrom(payload: JWTPayload): Principal {
  const { sub, name, land, roles, ressort } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') throw unauthenticated('The token has no subject (sub).');
  if (typeof name !== 'string' || name === '') throw unauthenticated('The token has no name claim.');
  // Both are written into the audit trail: text PostgreSQL refuses would stall every command of the caller.
  if (!isStorableText(sub) || !isStorableText(name))
    throw unauthenticated('The token has NUL or an unpaired surrogate in its sub or name claim.');
  if (typeof land !== 'string' || !(LANDS as readonly string[]).includes(land))
    throw unauthenticated(`The token's land claim must be one of ${LANDS.join(', ')}.`);
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((r) => (ROLES as readonly unknown[]).includes(r))
  )
    throw unauthenticated(`The token's roles claim must be a non-empty list of ${ROLES.join(', ')}.`);
  const principal: Principal = { sub, name, land: land as Land, roles: [...new Set(roles as Role[])] };
  if (ressort === undefined) return principal;
  if (typeof ressort !== 'string') throw unauthenticated("The token's ressort claim must be a string.");
  const unknown = unknownRessort(principal.land, ressort);
  if (unknown) throw unauthenticated(`The token's ressort claim names no known Ressort: ${unknown}`);
  return { ...principal, ressort };
}

/** Time limits on every token (both modes): AUTH_MAX_TOKEN_AGE and AUTH_CLOCK_TOLERANCE_SECONDS. */
export interface TokenLimits {
  /** Oldest `iat` accepted, in seconds; `iat` is a required claim. */
  maxTokenAgeSeconds?: number;
  /** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`. */
  clockToleranceSeconds?: number;
}

export const DEFAULT_TOKEN_LIMITS: Required<TokenLimits> = {
  maxTokenAgeSeconds: 24 * 3600,
  clockToleranceSeconds: 5,
};

/** When each authenticated principal's token stops being accepted (ms since the epoch). */
const tokenEnds = new WeakMap<Principal, number>();

/**
 * When the token a principal was authenticated with stops being accepted: min(exp, iat + maximum age), in
 * ms since the epoch. Long-lived answers (the event stream) end there; undefined for a principal this
 * module did not authenticate.
 */
export const tokenEndOf = (principal: Principal): number | undefined => tokenEnds.get(principal);

/**
 * An access token, not an ID token or another JWT of the issuer: the header's `typ` is absent, `JWT` or
 * `at+jwt` (RFC 9068), and a `typ` claim, where the issuer sets one (Keycloak: `Bearer` or `ID`), is `Bearer`.
 */
function isAccessToken(headerTyp: string | undefined, payload: JWTPayload): boolean {
  const typ = headerTyp?.toLowerCase().replace(/^application\//, '');
  if (typ !== undefined && typ !== 'jwt' && typ !== 'at+jwt') return false;
  const claim = (payload as { typ?: unknown }).typ;
  return claim === undefined || (typeof claim === 'string' && claim.toLowerCase() === 'bearer');
}

/** jose's errors that mean the key set could not be had (unreachable, 5xx, not JSON, not a key set). */
const KEY_SET_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

/** Tuning of the production key set; the defaults are jose's. */
export interface JwksOptions {
  /** Least time between two refetches on an unknown `kid` (jose default 30 s). */
  cooldownDuration?: number;
  /** Refetch the key set once it is older than this (jose default 10 min). */
  cacheMaxAge?: number;
}

/** A development-mode token (HS256 with the shared secret), as `npm run token` and `POST /v1/dev/token` mint it. */
export function mintDevelopmentToken(secret: string, principal: Principal, ttl = '8h'): Promise<string> {
  return new SignJWT({
    name: principal.name,
    land: principal.land,
    roles: principal.roles,
    ...(principal.ressort === undefined ? {} : { ressort: principal.ressort }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}

export function createAuthenticator(
  settings: AuthSettings,
  jwks: JwksOptions = {},
  limits: TokenLimits = {},
): Authenticator {
  let key: Uint8Array | ReturnType<typeof createRemoteJWKSet>;
  let options: Parameters<typeof jwtVerify>[2];
  const { maxTokenAgeSeconds, clockToleranceSeconds } = { ...DEFAULT_TOKEN_LIMITS, ...limits };
  const timing = { maxTokenAge: maxTokenAgeSeconds, clockTolerance: clockToleranceSeconds };
  if (settings.mode === 'development') {
    key = new TextEncoder().encode(settings.secret);
    options = { algorithms: ['HS256'], requiredClaims: ['exp', 'iat'], ...timing };
  } else {
    // jose caches the key set and refetches it when a token names an unknown key (rotation).
    key = createRemoteJWKSet(new URL(settings.jwksUrl), jwks);
    options = {
      algorithms: ['RS256', 'ES256'],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['exp', 'iat'],
      ...timing,
    };
  }
  // A remembered production token stays trusted only while its key is still in the issuer's current set:
  // a key dropped from the JWKS (rotation, compromise) ends every token it signed.
  const keyStillPublished = (kid: string | undefined) =>
    typeof key !== 'function' ||
    (kid !== undefined && key.fresh && (key.jwks()?.keys.some((jwk) => jwk.kid === kid) ?? false));
  const verified = createVerifiedTokens(keyStillPublished);
  const authenticate = async (authorization: string | undefined) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const token = match?.[1];
    if (!token) throw unauthenticated('Send a token: Authorization: Bearer <JWT>.');
    const known = verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    let kid: string | undefined;
    let typ: string | undefined;
    try {
      ({
        payload,
        protectedHeader: { kid, typ },
      } =
        typeof key === 'function'
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options));
    } catch (error) {
      const code = (error as { code?: string }).code;
      // The issuer's key set could not be fetched: that is an outage of a dependency, not a bad token.
      // An empty key set is the provider's failure too (401 would sign every dashboard out).
      if (
        typeof key === 'function' &&
        (KEY_SET_UNAVAILABLE.has(code ?? '') ||
          (code === undefined && error instanceof TypeError) ||
          (code === 'ERR_JWKS_NO_MATCHING_KEY' && key.jwks()?.keys.length === 0))
      )
        throw new HttpProblem(503, "The identity provider's keys cannot be fetched right now.", undefined, 5);
      throw unauthenticated(
        code === 'ERR_JWT_EXPIRED' ? 'The token has expired.' : 'The token is not valid.',
      );
    }
    if (!isAccessToken(typ, payload))
      throw unauthenticated('The token is not an access token (typ); an ID token does not authorise calls.');
    const principal = {
      ...principalFrom(payload),
      iss: settings.mode === 'production' ? settings.issuer : 'dev',
    };
    // `exp` and `iat` are required claims, so every remembered token has an end: the earlier of its expiry
    // and the end of its maximum age, when a fresh verification would refuse it too.
    const expiresAt = Math.min(payload.exp ?? 0, (payload.iat ?? 0) + maxTokenAgeSeconds) * 1000;
    tokenEnds.set(principal, expiresAt);
    verified.remember(token, { principal, kid, expiresAt });
    return principal;
  };
  if (settings.mode === 'production') return authenticate;
  const { secret } = settings;
  return Object.assign(authenticate, {
    mintDevelopmentToken: (principal: Principal, ttl?: string) =>
      mintDevelopmentToken(secret, principal, ttl),
  });
}

const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Dashboards send the same token with every poll; checking its signature each time was the largest cost
 * of a status poll. A token that verified once is remembered until its `exp` or the end of its maximum age
 * (whichever comes first), and in production only while
 * the key that signed it is still published (checked on every use, against a key set jose keeps fresh).
 */
function createVerifiedTokens(keyStillPublished: (kid: string | undefined) => boolean) {
  interface Verified {
    principal: Principal;
    kid: string | undefined;
    expiresAt: number;
  }
  const tokens = new Map<string, Verified>();
  return {
    get(token: string): Principal | undefined {
      const entry = tokens.get(token);
      if (!entry) return undefined;
      if (Date.now() < entry.expiresAt && keyStillPublished(entry.kid)) return entry.principal;
      tokens.delete(token);
      return undefined;
    },
    remember(token: string, entry: Verified) {
      if (tokens.size >= VERIFIED_TOKENS_KEPT) tokens.delete(tokens.keys().next().value as string);
      tokens.set(token, entry);
    },
  };
}
