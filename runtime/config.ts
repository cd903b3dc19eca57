/**
 * Configuration from the environment (docs/api.md's table), read once at start and validated, so that a typo
 * stops the process with a clear message instead of surfacing later.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAY_MS, isValidPeriod, parseDuration } from '../lib/periods.js';
import { invalidAllowListEntries } from '../lib/url-allow-list.js';
import type { Periods } from '../workflows/contracts.js';

/** The directory holding package.json, whether running from source or from dist/. */
export const projectRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export interface Config {
  port: number;
  host: string;
  production: boolean;
  /**
   * `oidc` (tokens of an OIDC issuer) or `development` (HS256 with a shared secret; anyone reaching the API
   * mints tokens at /v1/dev/token). AUTH_MODE, else `oidc` under NODE_ENV=production and `development` otherwise.
   */
  authMode: 'oidc' | 'development';
  dataDir: string;
  databaseUrl: string | undefined;
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    /** The Temporal Web UI operators are pointed to; the local dev server's by default. */
    uiUrl: string | undefined;
  };
  jwtSecret: string | undefined;
  periods: Required<Periods>;
  /** Days between a submission and the earliest session it can be booked on. */
  bundesratLeadDays: number;
  logLevel: string;
  /**
   * Hosts webhooks may be sent to (`host` on the scheme's default port, `host:port`, `host:*`) and the
   * loopback or private addresses they may resolve to (an address or a CIDR range); none by default.
   */
  webhookAllowedHosts: string[];
  /** WEBHOOK_SECRET_KEY: the AES-256-GCM key webhook secrets are sealed with (32 bytes); see webhookSecretKey. */
  webhookSecretKey: Buffer | undefined;
  /** A prebuilt workflow bundle for workers; without it workers bundle workflows/ at start. */
  workflowBundlePath: string | undefined;
  /** Initiatives each API process keeps in memory for status polls; 0 turns the cache off. */
  readCacheSize: number;
  /** Off where a deploy job migrates once and API/worker replicas run with a role that may not. */
  migrateOnStart: boolean;
  /** `host:port` where a worker process serves the Temporal SDK's Prometheus metrics. */
  workerMetricsAddress: string | undefined;
  /** How long the API waits for a command's outcome (Temporal) before answering 503. */
  commandTimeoutMs: number;
  /** How long SIGTERM may drain in-flight requests and worker tasks before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** ATTACHMENT_MAX_BYTES: the largest attachment accepted (docs/texts.md). */
  attachmentMaxBytes: number;
  /** RATE_LIMIT_PER_MINUTE (0 = off) and CORS_ORIGINS, handed to api/hardening.ts. */
  hardening: { rateLimitPerMinute: number; corsOrigins: string[]; trustedProxies: string[] };
  /** METRICS_TOKEN: /metrics asks for it when set. */
  metricsToken: string | undefined;
  /** Mail (docs/notifications.md): SMTP_URL (a secret: it may hold a password), MAIL_FROM, PUBLIC_URL. */
  mail: {
    /** Without it mails are written as .eml files under $DATA_DIR/mail/. */
    smtpUrl: string | undefined;
    from: string;
    /** The dashboard's address as mail readers reach it: links in mails and the calendar feed's URL. */
    publicUrl: string;
  };
  /** EVENT_STREAMS_PER_PRINCIPAL: open GET /v1/events streams per principal and API process. */
  eventStreamsPerPrincipal: number;
  /** AUTH_MAX_TOKEN_AGE (oldest `iat` accepted) and AUTH_CLOCK_TOLERANCE_SECONDS, for api/auth.ts. */
  tokenLimits: { maxTokenAgeSeconds: number; clockToleranceSeconds: number };
}

export class ConfigError extends Error {}

/**
 * The settings that are secrets. Each may also be given as `<NAME>_FILE`, the path of a file holding the
 * value (Docker and Compose mount secrets as files under /run/secrets/), so that it need not sit in the
 * process environment.
 */
export const SECRET_SETTINGS = [
  'AUTH_JWT_SECRET',
  'DATABASE_URL',
  'METRICS_TOKEN',
  'WEBHOOK_SECRET_KEY',
  'SMTP_URL',
] as const;
/** Secrets of a script, not of the services (loadConfig never reads them): `npm run audit:verify`'s key. */
export const SCRIPT_SECRET_SETTINGS = ['AUDIT_ANCHOR_KEY'] as const;
export type SecretSetting = (typeof SECRET_SETTINGS)[number] | (typeof SCRIPT_SECRET_SETTINGS)[number];

/**
 * A secret setting: `<NAME>`, or the content of the file `<NAME>_FILE` names (one trailing newline removed,
 * as `echo` and editors leave one). Both set, an unreadable or an empty file stop the start; the messages
 * name the variables and the path, never the value.
 */
export function secretSetting(env: NodeJS.ProcessEnv, name: SecretSetting): string | undefined {
  const direct = env[name] || undefined;
  const fileVariable = `${name}_FILE`;
  const path = env[fileVariable] || undefined;
  if (path === undefined) return direct;
  if (direct !== undefined)
    throw new ConfigError(`${name} and ${fileVariable} are both set: set only one of them.`);
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${fileVariable}=${path} cannot be read (${code}).`);
  }
  const value = content.replace(/\r?\n$/, '');
  if (value === '') throw new ConfigError(`${fileVariable}=${path} is empty.`);
  return value;
}

function period(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  if (!isValidPeriod(value))
    throw new ConfigError(`${name}=${value} is not an ISO 8601 duration such as P14D or PT30S`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name}=${raw} is not a whole number`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name}=${raw} is not true or false`);
}

function hostAndPort(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (!value) return undefined;
  if (!/^(\[[\da-fA-F:]+\]|[\w.-]+):\d{1,5}$/.test(value))
    throw new ConfigError(`${name}=${value} is not host:port`);
  return value;
}

/** CORS_ORIGINS: comma-separated origins (`scheme://host[:port]`, as browsers send them) or `*`. */
function origins(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of listed) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin)
      throw new ConfigError(
        `CORS_ORIGINS: ${origin} is not an origin such as https://dashboard.example.org (no path, no trailing slash)`,
      );
  }
  return listed;
}

/** Addresses only this machine reaches. */
export const isLoopback = (host: string) => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host);

/** The minimum length of AUTH_JWT_SECRET: HS256 wants a key at least as long as its hash (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

/**
 * AUTH_MODE, checked: development mode lets anyone who reaches the API mint an admin token, so it is never
 * the fallback on an address other machines reach (HOST=0.0.0.0) nor under NODE_ENV=production.
 */
function authMode(env: NodeJS.ProcessEnv, host: string, secret: string | undefined): Config['authMode'] {
  const production = env.NODE_ENV === 'production';
  const raw = env.AUTH_MODE || undefined;
  if (raw !== undefined && raw !== 'oidc' && raw !== 'development')
    throw new ConfigError(`AUTH_MODE=${raw} is neither oidc nor development`);
  if (raw === 'development' && production)
    throw new ConfigError(
      'AUTH_MODE=development is refused under NODE_ENV=production: use OIDC (AUTH_MODE=oidc).',
    );
  const mode = raw ?? (production ? 'oidc' : 'development');
  if (mode === 'development' && raw === undefined && !isLoopback(host))
    throw new ConfigError(
      `Development mode (anyone reaching the API mints tokens at /v1/dev/token) is refused on HOST=${host}, ` +
        'which other machines reach: set AUTH_MODE=oidc with AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL, ' +
        'or AUTH_MODE=development to ask for development mode explicitly.',
    );
  if (mode === 'development' && secret && Buffer.byteLength(secret) < MIN_SECRET_BYTES)
    throw new ConfigError(`AUTH_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long.`);
  return mode;
}

/** TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (`10.0.0.0/8`). */
function proxies(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((proxy) => proxy.trim())
    .filter(Boolean);
  for (const proxy of listed) {
    const [address = '', bits, ...rest] = proxy.split('/');
    const family = isIP(address);
    if (
      family === 0 ||
      rest.length > 0 ||
      (bits !== undefined &&
        !(Number(bits) >= 0 && Number(bits) <= (family === 4 ? 32 : 128) && /^\d+$/.test(bits)))
    )
      throw new ConfigError(`TRUSTED_PROXIES: ${proxy} is not an address or a CIDR range such as 10.0.0.0/8`);
  }
  return listed;
}

function smtpUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = secretSetting(env, 'SMTP_URL');
  if (url === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError('SMTP_URL is not a URL (smtp://user:password@host:587 or smtps://host:465).');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:')
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, not ${protocol}//.`);
  return url;
}

function publicUrl(env: NodeJS.ProcessEnv, host: string, port: number): string {
  const value = env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a URL: ${value}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError('PUBLIC_URL must be an http:// or https:// address.');
  return value.replace(/\/+$/, '');
}

/** The longest clock tolerance accepted: beyond a few minutes an expired token would live on noticeably. */
const MAX_CLOCK_TOLERANCE_SECONDS = 300;

/** AUTH_MAX_TOKEN_AGE (an ISO 8601 duration, default PT24H) and AUTH_CLOCK_TOLERANCE_SECONDS (default 5). */
function tokenLimits(env: NodeJS.ProcessEnv): Config['tokenLimits'] {
  const age = period(env, 'AUTH_MAX_TOKEN_AGE', 'PT24H');
  const { days, milliseconds } = parseDuration(age);
  const maxTokenAgeSeconds = Math.floor((days * DAY_MS + milliseconds) / 1000);
  if (maxTokenAgeSeconds < 60) throw new ConfigError(`AUTH_MAX_TOKEN_AGE=${age} is shorter than a minute`);
  const clockToleranceSeconds = integer(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 5);
  if (clockToleranceSeconds > MAX_CLOCK_TOLERANCE_SECONDS)
    throw new ConfigError(
      `AUTH_CLOCK_TOLERANCE_SECONDS=${clockToleranceSeconds} is more than ${MAX_CLOCK_TOLERANCE_SECONDS}`,
    );
  return { maxTokenAgeSeconds, clockToleranceSeconds };
}

/** WEBHOOK_ALLOWED_HOSTS, each entry checked (lib/url-allow-list.ts). */
function allowedHosts(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.WEBHOOK_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  const invalid = invalidAllowListEntries(listed);
  if (invalid.length > 0)
    throw new ConfigError(
      `WEBHOOK_ALLOWED_HOSTS: ${invalid.join(', ')} is not host, host:port, host:*, an address or a CIDR range`,
    );
  return listed;
}

/** WEBHOOK_SECRET_KEY: 32 bytes in base64 (`openssl rand -base64 32`); webhookSecretKey requires it in production. */
function secretKey(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = secretSetting(env, 'WEBHOOK_SECRET_KEY');
  if (raw === undefined) return undefined;
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw.trim()))
    throw new ConfigError('WEBHOOK_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`).');
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.DATA_DIR ?? join(projectRoot, '.data'));
  const host = env.HOST ?? '127.0.0.1';
  const jwtSecret = secretSetting(env, 'AUTH_JWT_SECRET');
  return {
    port: integer(env, 'PORT', 3000),
    host,
    production: env.NODE_ENV === 'production',
    authMode: authMode(env, host, jwtSecret),
    dataDir,
    databaseUrl: secretSetting(env, 'DATABASE_URL'),
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'initiatives',
      uiUrl: env.TEMPORAL_UI_URL || undefined,
    },
    jwtSecret,
    periods: {
      review: period(env, 'REVIEW_PERIOD', 'P14D'),
      reminderBefore: period(env, 'REMINDER_BEFORE', 'P3D'),
      escalationGrace: period(env, 'ESCALATION_GRACE', 'P7D'),
      revision: period(env, 'REVISION_PERIOD', 'P30D'),
      invitation: period(env, 'INVITATION_PERIOD', 'P14D'),
      bundesratDecisionReminder: period(env, 'BUNDESRAT_DECISION_REMINDER', 'P3D'),
      conferenceDecisionReminder: period(env, 'CONFERENCE_DECISION_REMINDER', 'P3D'),
    },
    bundesratLeadDays: integer(env, 'BUNDESRAT_LEAD_DAYS', 14),
    logLevel: env.LOG_LEVEL ?? 'info',
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
    readCacheSize: integer(env, 'READ_CACHE_SIZE', 10_000),
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024),
    migrateOnStart: flag(env, 'MIGRATE_ON_START', true),
    workerMetricsAddress: hostAndPort(env, 'WORKER_METRICS_ADDRESS'),
    commandTimeoutMs: integer(env, 'COMMAND_TIMEOUT_MS', 20_000),
    // Longer than the command timeout, so that a drained command always gets its answer.
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 30_000),
    webhookAllowedHosts: allowedHosts(env),
    webhookSecretKey: secretKey(env),
    hardening: {
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200),
      corsOrigins: origins(env),
      trustedProxies: proxies(env),
    },
    metricsToken: secretSetting(env, 'METRICS_TOKEN'),
    mail: {
      smtpUrl: smtpUrl(env),
      from: env.MAIL_FROM || 'Digital Dialog <digital-dialog@localhost>',
      publicUrl: publicUrl(env, host, integer(env, 'PORT', 3000)),
    },
    tokenLimits: tokenLimits(env),
    eventStreamsPerPrincipal: Math.max(1, integer(env, 'EVENT_STREAMS_PER_PRINCIPAL', 5)),
  };
}

/**
 * The development-mode HS256 secret: AUTH_JWT_SECRET, or one generated once and kept under the data
 * directory so that `npm run token` and the running service agree.
 */
export function developmentSecret(config: Pick<Config, 'jwtSecret' | 'dataDir'>): string {
  if (config.jwtSecret) return config.jwtSecret;
  const file = join(config.dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The key webhook secrets are sealed with: WEBHOOK_SECRET_KEY, or (outside production, where it is
 * required) one generated once and kept under the data directory, like the development JWT secret.
 */
export function webhookSecretKey(
  config: Pick<Config, 'webhookSecretKey' | 'dataDir' | 'production'>,
): Buffer {
  if (config.webhookSecretKey) return config.webhookSecretKey;
  if (config.production)
    throw new ConfigError(
      'NODE_ENV=production needs WEBHOOK_SECRET_KEY (or WEBHOOK_SECRET_KEY_FILE): 32 bytes in base64, e.g. `openssl rand -base64 32`; webhook secrets are stored sealed with it.',
    );
  const file = join(config.dataDir, 'webhook-secret-key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/**
 * AUDIT_ANCHOR_KEY (or AUDIT_ANCHOR_KEY_FILE): the HMAC key `npm run audit:verify` anchors heads exports
 * with. Only the operators' verification job holds it, never API or workers (whoever writes the database
 * must not be able to anchor). At least 32 bytes; undefined when unset.
 */
export function auditAnchorKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = secretSetting(env, 'AUDIT_ANCHOR_KEY');
  if (key !== undefined && Buffer.byteLength(key) < MIN_SECRET_BYTES)
    throw new ConfigError(`AUDIT_ANCHOR_KEY must be at least ${MIN_SECRET_BYTES} bytes long.`);
  return key;
}
