/**
 * Configuration from the environment (api.md's table), read once at start and validated, so that a typo
 * stops the process with a clear message instead of surfacing later.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isValidPeriod } from '../activities/deadlines.js';
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
  dataDir: string;
  databaseUrl: string | undefined;
  temporal: { address: string | undefined; namespace: string; taskQueue: string };
  jwtSecret: string | undefined;
  periods: Required<Periods>;
  /** Days between a submission and the earliest session it can be booked on. */
  bundesratLeadDays: number;
  logLevel: string;
  /** Hosts (`host` or `host:port`) webhooks may be sent to; none by default. */
  webhookAllowedHosts: string[];
  /** A prebuilt workflow bundle for workers; without it workers bundle workflows/ at start. */
  workflowBundlePath: string | undefined;
  /** RATE_LIMIT_PER_MINUTE (0 = off) and CORS_ORIGINS, handed to api/hardening.ts. */
  hardening: { rateLimitPerMinute: number; corsOrigins: string[] };
}

export class ConfigError extends Error {}

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.DATA_DIR ?? join(projectRoot, '.data'));
  return {
    port: integer(env, 'PORT', 3000),
    host: env.HOST ?? '127.0.0.1',
    production: env.NODE_ENV === 'production',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'initiatives',
    },
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    periods: {
      review: period(env, 'REVIEW_PERIOD', 'P14D'),
      reminderBefore: period(env, 'REMINDER_BEFORE', 'P3D'),
      escalationGrace: period(env, 'ESCALATION_GRACE', 'P7D'),
      revision: period(env, 'REVISION_PERIOD', 'P30D'),
      invitation: period(env, 'INVITATION_PERIOD', 'P14D'),
      bundesratDecisionReminder: period(env, 'BUNDESRAT_DECISION_REMINDER', 'P3D'),
    },
    bundesratLeadDays: integer(env, 'BUNDESRAT_LEAD_DAYS', 14),
    logLevel: env.LOG_LEVEL ?? 'info',
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
    webhookAllowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
    hardening: {
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200),
      corsOrigins: origins(env),
    },
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
