/**
 * The production topology (docker-compose.yml, Dockerfile) checked without a Docker engine. The compose
 * file is loaded by the specification's own loader — `docker compose config` where the compose plugin is
 * installed, else compose-go through tools/compose-validate (built once into .tools/) — and its model is
 * checked against what the services really read. Then the PostgreSQL init script it ships runs against the
 * real PostgreSQL, and the migrate job, the API and a worker run as processes with the environment and the
 * database roles the compose file gives them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authSettings } from '../main/api.js';
import { loadConfig, projectRoot, SECRET_SETTINGS } from '../runtime/config.js';
import { otlpEndpoint } from '../runtime/tracing.js';
import { freePort } from '../runtime/temporal-dev-server.js';
import { defaultBundlePath } from '../scripts/bundle-workflows.js';
import type { Initiative } from '../workflows/contracts.js';
import { adminUrl } from './helpers/database.js';
import { eventually, newInitiative, principals, registerNamespace, TEST_SECRET } from './kit/index.js';
import { childEnv, runProcess, type ProcessResult } from './helpers/spawn.js';
import { GO_HINT, requireTool } from './helpers/tools.js';

const composeFile = join(projectRoot, 'docker-compose.yml');
const validatorDir = join(projectRoot, 'tools', 'compose-validate');

/** The variables the compose file requires; none may have a default, so each is a distinct made-up value. */
const REQUIRED = {
  POSTGRES_PASSWORD: 'postgres-secret-0f3a',
  TEMPORAL_DB_PASSWORD: 'temporal-secret-3e81',
  APP_DB_OWNER_PASSWORD: 'owner-secret-9b1c',
  APP_DB_PASSWORD: 'service-secret-77d2',
  AUTH_ISSUER: 'https://login.example/realms/dd',
  AUTH_AUDIENCE: 'digital-dialog-api',
  AUTH_JWKS_URL: 'https://login.example/realms/dd/protocol/openid-connect/certs',
};
/** The secrets compose mounts into our services, from variables of these names where compose runs. */
const SECRETS = {
  METRICS_TOKEN: 'metrics-secret-5d20',
  WEBHOOK_SECRET_KEY: 'cDtTRmTSK1Oxb+bYtvJHPB6Gmc6DqXvv4YKNuXdsqeE=',
};
/** Our own services, built from the Dockerfile; the others are upstream images. */
const OUR_SERVICES = ['migrate', 'api', 'worker'] as const;
const ONE_SHOTS = ['temporal-schema', 'temporal-namespace', 'migrate'];
const VIEWERS = ['temporal-ui', 'jaeger'];

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | null;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number } | null;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  secrets?: { source: string; target?: string }[];
}
interface ComposeModel {
  services: Record<string, ComposeService>;
  configs?: Record<string, { content?: string }>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

function service(model: ComposeModel, name: string): ComposeService {
  const found = model.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function environmentOf(model: ComposeModel, name: string): Record<string, string> {
  // A variable listed without a value and not set when loading stays unset in the container.
  return Object.fromEntries(
    Object.entries(service(model, name).environment ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    ),
  );
}

/** Where a service's secret is mounted: /run/secrets/<target>, or the absolute target given. */
const mountPath = (secret: { source: string; target?: string }) =>
  (secret.target ?? secret.source).startsWith('/')
    ? (secret.target ?? secret.source)
    : `/run/secrets/${secret.target ?? secret.source}`;

const dockerCompose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;

/** tools/compose-validate built once per source version into .tools/ (git-ignored, kept between runs). */
async function validatorBinary(): Promise<string> {
  const digest = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) digest.update(readFileSync(join(validatorDir, file)));
  const dir = join(projectRoot, '.tools', `compose-validate-${digest.digest('hex').slice(0, 12)}`);
  const binary = join(dir, 'compose-validate');
  if (existsSync(binary)) return binary;
  requireTool('go', GO_HINT);
  mkdirSync(dir, { recursive: true });
  // Built beside its final name and renamed, so that concurrent runs never execute a half-written file.
  const partial = `${binary}.${process.pid}`;
  const build = await runProcess(
    'go',
    ['build', '-C', validatorDir, '-o', partial, '.'],
    process.env,
    600_000,
  );
  if (build.code !== 0) throw new Error(`go build of tools/compose-validate failed:\n${build.stderr}`);
  renameSync(partial, binary);
  return binary;
}

/** Loads a compose file with exactly `variables` set (no .env file, nothing inherited). */
async function loadCompose(file: string, variables: Record<string, string>): Promise<ProcessResult> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...variables };
  if (!dockerCompose) return runProcess(await validatorBinary(), ['-f', file], env);
  // An empty --env-file keeps a developer's .env out of the test.
  const emptyEnvFile = join(tmpdir(), 'dd-compose-empty.env');
  writeFileSync(emptyEnvFile, '');
  return runProcess(
    'docker',
    ['compose', '--env-file', emptyEnvFile, '-f', file, 'config', '--format', 'json'],
    env,
  );
}

/**
 * Every variable the services read at start-up: runtime/config.ts's loadConfig and, in production mode,
 * the API's OIDC settings. Recorded by handing them an environment that notes each name asked for.
 */
function variablesTheServicesRead(): Set<string> {
  const read = new Set<string>();
  const values: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    AUTH_ISSUER: REQUIRED.AUTH_ISSUER,
    AUTH_AUDIENCE: REQUIRED.AUTH_AUDIENCE,
    AUTH_JWKS_URL: REQUIRED.AUTH_JWKS_URL,
    WEBHOOK_SECRET_KEY: SECRETS.WEBHOOK_SECRET_KEY,
  };
  const recording = new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
  authSettings(loadConfig(recording), recording);
  otlpEndpoint(recording);
  return read;
}

/** `node dist/x/y.js` in the image is compiled from `x/y.ts`. */
function sourceOf(command: readonly string[] | null | undefined): string {
  const script = command?.find((part) => part.startsWith('dist/'));
  if (!script) throw new Error(`no dist/ script in ${JSON.stringify(command)}`);
  return join(projectRoot, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

let model: ComposeModel;

beforeAll(async () => {
  const loaded = await loadCompose(composeFile, { ...REQUIRED, ...SECRETS });
  if (loaded.code !== 0) throw new Error(`docker-compose.yml does not load:\n${loaded.stderr}`);
  model = JSON.parse(loaded.stdout) as ComposeModel;
}, 600_000);

describe('docker-compose.yml under the compose specification', () => {
  it('loads, with PostgreSQL, Temporal and its setup jobs, the Web UI, Jaeger, the migrate job, API, worker and proxy', () => {
    expect(Object.keys(model.services).sort()).toEqual([
      'api',
      'jaeger',
      'migrate',
      'postgres',
      'proxy',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
      'worker',
    ]);
  });

  it.each([
    ['a value of the wrong type', (yaml: string) => yaml.replace(/replicas: 2/, 'replicas: two')],
    [
      'a dependency on a service that does not exist',
      (yaml: string) => yaml.replace(/migrate: \{ condition/, 'migrations: { condition'),
    ],
    [
      'an unknown key',
      (yaml: string) => yaml.replace(/\n {4}restart: unless-stopped/, '\n    restart_policy: unless-stopped'),
    ],
  ])('refuses a copy with %s', async (_what, breakIt) => {
    const original = readFileSync(composeFile, 'utf8');
    const broken = breakIt(original);
    expect(broken).not.toBe(original);
    const dir = mkdtempSync(join(tmpdir(), 'dd-compose-'));
    try {
      writeFileSync(join(dir, 'docker-compose.yml'), broken);
      const result = await loadCompose(join(dir, 'docker-compose.yml'), REQUIRED);
      expect(result.code).not.toBe(0);
      expect(result.stderr).not.toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(Object.keys(REQUIRED))('has no default for %s: it refuses to load without it', async (name) => {
    const others = Object.fromEntries(Object.entries(REQUIRED).filter(([variable]) => variable !== name));
    const result = await loadCompose(composeFile, others);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`required variable ${name} is missing`);
  });

  it('runs our services in production mode without any secret of its own making', () => {
    const source = readFileSync(composeFile, 'utf8');
    expect(source).not.toMatch(/\$\{\w*(PASSWORD|SECRET|TOKEN|KEY)\w*:?-/);
    for (const name of OUR_SERVICES) {
      const environment = environmentOf(model, name);
      expect(environment.NODE_ENV, name).toBe('production');
      expect(Object.keys(environment), name).not.toContain('AUTH_JWT_SECRET');
    }
    const api = environmentOf(model, 'api');
    expect([api.AUTH_ISSUER, api.AUTH_AUDIENCE, api.AUTH_JWKS_URL]).toEqual([
      REQUIRED.AUTH_ISSUER,
      REQUIRED.AUTH_AUDIENCE,
      REQUIRED.AUTH_JWKS_URL,
    ]);
  });

  it('passes secrets as compose secrets: mounted files the services read through <NAME>_FILE', () => {
    const api = service(model, 'api');
    expect(environmentOf(model, 'api').METRICS_TOKEN_FILE).toBe('/run/secrets/metrics-token');
    expect(api.secrets?.map(mountPath)).toContain('/run/secrets/metrics-token');
    expect(model.secrets?.['metrics-token']?.environment).toBe('METRICS_TOKEN');
    for (const name of OUR_SERVICES) {
      const environment = environmentOf(model, name);
      for (const secret of SECRET_SETTINGS.filter((setting) => setting !== 'DATABASE_URL'))
        expect(Object.keys(environment), name).not.toContain(secret);
      // every *_FILE a service is given is a secret it mounts, defined at the top level
      const mounted = new Map(
        (service(model, name).secrets ?? []).map((secret) => [mountPath(secret), secret]),
      );
      for (const [variable, path] of Object.entries(environment).filter(([key]) => key.endsWith('_FILE'))) {
        const secret = mounted.get(path);
        expect(secret, `${name}: ${variable}=${path}`).toBeDefined();
        expect(model.secrets?.[secret?.source ?? ''], `${name}: ${variable}`).toBeDefined();
      }
    }
  });

  it('gives our services only variables they read', () => {
    const read = variablesTheServicesRead();
    expect(read).toContain('DATABASE_URL');
    for (const name of OUR_SERVICES) {
      const given = Object.keys(service(model, name).environment ?? {});
      expect(
        given.filter((variable) => !read.has(variable)),
        name,
      ).toEqual([]);
    }
  });

  it('runs API and worker as several replicas with health checks and restart policies', () => {
    for (const name of ['api', 'worker'])
      expect(service(model, name).deploy?.replicas, name).toBeGreaterThanOrEqual(2);
    // Reads need only the database: a replica stays in the proxy's rotation while Temporal is away.
    expect(service(model, 'api').healthcheck?.test?.join(' ')).toContain('/readyz/reads');
    // Temporal's health is its frontend's own health check, not an open port.
    expect(service(model, 'temporal').healthcheck?.test?.join(' ')).toContain('operator cluster health');
    expect(service(model, 'worker').healthcheck?.test).toContain('dist/scripts/worker-health.js');
    for (const [name, definition] of Object.entries(model.services)) {
      if (ONE_SHOTS.includes(name)) {
        expect(definition.restart, name).toMatch(/^on-failure/);
      } else {
        expect(definition.restart, name).toMatch(/^(unless-stopped|always)$/);
        // The two viewers: nothing waits for them (an exporter that cannot reach Jaeger drops spans).
        if (!VIEWERS.includes(name)) expect(definition.healthcheck?.test?.length, name).toBeGreaterThan(0);
      }
    }
  });

  it('sends API and worker traces to Jaeger over OTLP, whose UI listens on loopback only', () => {
    const jaeger = service(model, 'jaeger');
    expect(jaeger.image).toMatch(/^jaegertracing\/all-in-one:\d+\.\d+\.\d+$/);
    expect(jaeger.environment?.COLLECTOR_OTLP_ENABLED).toBe('true');
    const ports =
      (jaeger as { ports?: { host_ip?: string; published?: string; target: number }[] }).ports ?? [];
    expect(ports.map((port) => [port.host_ip, port.target])).toEqual([['127.0.0.1', 16686]]);
    for (const name of ['api', 'worker']) {
      const endpoint = environmentOf(model, name).OTEL_EXPORTER_OTLP_ENDPOINT;
      // OTLP over HTTP (the exporter runtime/tracing.ts uses) on Jaeger's collector port.
      expect(endpoint, name).toBe('http://jaeger:4318');
    }
  });

  it('sets Temporal up as upstream does: admin tools create the schema, then the server starts on PostgreSQL', () => {
    // Upstream images are pinned; ours is built here and tagged with APP_VERSION.
    const images = Object.values(model.services).flatMap((definition) =>
      definition.build ? [] : (definition.image ?? []),
    );
    // Exact releases (major.minor at least, as PostgreSQL numbers them), no floating tags.
    for (const image of images) expect(image).toMatch(/^[\w./-]+:\d+\.\d+(\.\d+)?(-[a-z]+)?$/);
    expect(images.join(' ')).not.toMatch(/:latest\b|auto-setup/);

    const schema = service(model, 'temporal-schema');
    const temporal = service(model, 'temporal');
    const version = temporal.image?.replace(/^temporalio\/server:/, '');
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(schema.image).toBe(`temporalio/admin-tools:${version}`);
    const script = schema.command?.join(' ') ?? '';
    for (const step of [
      'temporal-sql-tool',
      'create',
      'setup-schema',
      'update-schema',
      'temporal_visibility',
    ])
      expect(script).toContain(step);
    expect(temporal.depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
    expect(temporal.environment?.DB).toBe('postgres12');
    // Temporal connects as its own role, not as the superuser.
    expect(temporal.environment?.POSTGRES_USER).toBe('temporal');
    expect(schema.environment?.POSTGRES_USER).toBe('temporal');
    expect(temporal.environment?.POSTGRES_PWD).toBe(REQUIRED.TEMPORAL_DB_PASSWORD);
    expect(service(model, 'temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);

    const namespace = service(model, 'temporal-namespace');
    expect(namespace.depends_on?.temporal?.condition).toBe('service_healthy');
    expect(namespace.environment?.NAMESPACE).toBe(environmentOf(model, 'worker').TEMPORAL_NAMESPACE);
  });

  it('migrates once per deploy, in a job API and workers wait for', () => {
    expect(sourceOf(service(model, 'migrate').command)).toBe(join(projectRoot, 'main', 'migrate.ts'));
    for (const name of ['api', 'worker']) {
      const definition = service(model, name);
      expect(definition.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      expect(definition.depends_on?.['temporal-namespace']?.condition, name).toBe(
        'service_completed_successfully',
      );
      expect(definition.environment?.MIGRATE_ON_START, name).toBe('false');
      expect(existsSync(sourceOf(definition.command)), name).toBe(true);
    }
    expect(environmentOf(model, 'migrate').MIGRATE_ON_START).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  const stages = readFileSync(join(projectRoot, 'Dockerfile'), 'utf8')
    .split(/^FROM /m)
    .slice(1)
    .map((stage) => stage.replace(/\\\n/g, ' '));
  const final = stages.at(-1) ?? '';

  it('builds in one stage and ships a non-root final stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/^RUN npm ci\b/m);
    expect(stages[0]).toMatch(/^RUN npm run build\b/m);
    const users = [...final.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(final).not.toMatch(/^RUN npm/m);
  });

  it('keeps only the image platform’s Temporal core bridge (the Dockerfile’s prune step, run here)', async () => {
    const step = stages[0]?.split(/^RUN /m).find((run) => run.includes('core-bridge'));
    expect(step, 'a RUN step that prunes the core bridge').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'dd-prune-'));
    try {
      const bridge = join(dir, 'node_modules', '@temporalio', 'core-bridge');
      mkdirSync(dirname(bridge), { recursive: true });
      // Hard links: a cheap copy of the installed package for the step to prune.
      spawnSync('cp', ['-al', join(projectRoot, 'node_modules', '@temporalio', 'core-bridge'), bridge]);
      const pruned = await runProcess(
        'sh',
        ['-c', step!.replace(/\\\n/g, ' ')],
        { ...process.env },
        60_000,
        dir,
      );
      expect(pruned.code, pruned.stderr).toBe(0);
      const arch = ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[process.arch];
      expect(readdirSync(join(bridge, 'releases'))).toEqual([`${arch}-unknown-linux-gnu`]);
      expect(existsSync(join(bridge, 'releases', `${arch}-unknown-linux-gnu`, 'index.node'))).toBe(true);
      expect(existsSync(join(bridge, 'sdk-core'))).toBe(false);
      // What the SDK loads is still there.
      for (const file of ['index.js', 'common.js', 'lib', 'package.json'])
        expect(existsSync(join(bridge, file)), file).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the prebuilt workflow bundle, which workers load through WORKFLOW_BUNDLE_PATH', () => {
    expect(relative(projectRoot, defaultBundlePath)).toBe(join('dist', 'workflow-bundle.js'));
    expect(final).toMatch(/^COPY --from=\S+ \/app\/dist \.\/dist$/m);
    expect(final).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    expect(environmentOf(model, 'worker').WORKFLOW_BUNDLE_PATH).toBe('/app/dist/workflow-bundle.js');
  });

  it('sets only variables the services read, and starts an entry that exists', () => {
    const read = variablesTheServicesRead();
    const set = [...final.matchAll(/\b([A-Z][A-Z0-9_]+)=/g)].map((match) => match[1] ?? '');
    expect(set).toContain('WORKFLOW_BUNDLE_PATH');
    expect(set.filter((name) => !read.has(name))).toEqual([]);
    const cmd = /^CMD (\[.*\])$/m.exec(final)?.[1];
    expect(existsSync(sourceOf(JSON.parse(cmd ?? '[]') as string[]))).toBe(true);
  });
});

/**
 * Stands in for Jaeger's OTLP/HTTP receiver: records each request's path and whether its (protobuf) body
 * names a service (`service.name` is a plain string in it).
 */
async function otlpReceiver() {
  const received: { path: string; body: Buffer }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    saw: (service: string) => received.some(({ body }) => body.includes(service)),
    paths: () => [...new Set(received.map(({ path }) => path))],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A service entry as its own process (through tsx, as `node dist/…` runs in the image). */
function startEntry(
  entry: string,
  env: Record<string, string | undefined>,
): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: projectRoot,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('the deployment as docker-compose.yml wires it, on the real PostgreSQL and Temporal', () => {
  const suffix = randomBytes(4).toString('hex');
  const names = {
    owner: `dd_owner_${suffix}`,
    service: `dd_service_${suffix}`,
    database: `digital_dialog_${suffix}`,
    temporal: `temporal_${suffix}`,
  };
  const admin = new URL(adminUrl());
  const namespace = `compose-${suffix}`;
  const taskQueue = `compose-${suffix}`;
  const children: ChildProcess[] = [];
  let apiUrl: string;
  const secretsDir = mkdtempSync(join(tmpdir(), 'dd-compose-secrets-'));
  let collector: Awaited<ReturnType<typeof otlpReceiver>>;

  /**
   * The service's `*_FILE` variables pointed at local copies of the secrets compose would mount, each
   * holding the value of the variable its top-level secret is taken from (with a newline, as `echo` writes).
   */
  function mountedSecrets(name: string): Record<string, string> {
    const files: Record<string, string> = {};
    const mounts = service(model, name).secrets ?? [];
    for (const [variable, path] of Object.entries(environmentOf(model, name))) {
      const mount = mounts.find((secret) => mountPath(secret) === path);
      if (!variable.endsWith('_FILE') || !mount) continue;
      const source = model.secrets?.[mount.source]?.environment as keyof typeof SECRETS | undefined;
      const value = source === undefined ? undefined : SECRETS[source];
      if (value === undefined) throw new Error(`no value for the secret ${mount.source} of ${name}`);
      const local = join(secretsDir, `${name}-${mount.source}`);
      writeFileSync(local, `${value}\n`, { mode: 0o600 });
      files[variable] = local;
    }
    return files;
  }

  /** A DATABASE_URL of the compose file, pointed at this test's server, database and roles. */
  function local(url: string | undefined): string {
    const target = new URL(url ?? '');
    target.hostname = admin.hostname;
    target.port = admin.port;
    target.pathname = `/${names.database}`;
    target.username = target.username === 'dd_owner' ? names.owner : names.service;
    return target.toString();
  }

  /**
   * The compose environment of `name` for a process here: this test's hosts, names and roles, and
   * development-mode tokens instead of OIDC (production authentication has its own tests).
   */
  function runAs(name: string, overrides: Record<string, string> = {}): Record<string, string | undefined> {
    const environment = environmentOf(model, name);
    return {
      ...environment,
      NODE_ENV: undefined,
      // Development mode on the containers' 0.0.0.0 must be asked for explicitly.
      AUTH_MODE: 'development',
      AUTH_ISSUER: undefined,
      AUTH_AUDIENCE: undefined,
      AUTH_JWKS_URL: undefined,
      DATABASE_URL: local(environment.DATABASE_URL),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AUTH_JWT_SECRET: TEST_SECRET,
      // compose's http://jaeger:4318 is this test's receiver; spans are sent every half second.
      ...(environment.OTEL_EXPORTER_OTLP_ENDPOINT
        ? {
            OTEL_EXPORTER_OTLP_ENDPOINT: environment.OTEL_EXPORTER_OTLP_ENDPOINT.replace(
              'http://jaeger:4318',
              collector.url,
            ),
            OTEL_BSP_SCHEDULE_DELAY: '500',
          }
        : {}),
      ...mountedSecrets(name),
      ...overrides,
    };
  }

  const workerHealth = (overrides: Record<string, string> = {}) =>
    runProcess(
      process.execPath,
      ['--import', 'tsx', 'scripts/worker-health.ts'],
      childEnv(runAs('worker', overrides)),
    );

  beforeAll(async () => {
    const init = model.configs?.['postgres-init']?.content ?? '';
    expect(init).toContain('CREATE ROLE dd_service');
    const script = init
      .replace(/\bdd_owner\b/g, names.owner)
      .replace(/\bdd_service\b/g, names.service)
      .replace(/\bdigital_dialog\b/g, names.database)
      .replace(/\bROLE temporal\b/g, `ROLE ${names.temporal}`);
    const created = await runProcess(
      'sh',
      ['-c', script],
      childEnv({
        ...environmentOf(model, 'postgres'),
        POSTGRES_USER: decodeURIComponent(admin.username),
        PGPASSWORD: decodeURIComponent(admin.password),
        PGHOST: admin.hostname,
        PGPORT: admin.port || '5432',
      }),
    );
    if (created.code !== 0)
      throw new Error(`the compose file's PostgreSQL init script failed:\n${created.stderr}`);

    const connection = await Connection.connect({ address: inject('temporalAddress') });
    await registerNamespace(connection, namespace);
    await connection.close();
    collector = await otlpReceiver();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map(stopped));
    await collector.close();
    rmSync(secretsDir, { recursive: true, force: true });
    const sql = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
    await sql.unsafe(`drop database if exists ${names.database} with (force)`);
    await sql.unsafe(`drop role if exists ${names.owner}`);
    await sql.unsafe(`drop role if exists ${names.service}`);
    await sql.unsafe(`drop role if exists ${names.temporal}`);
    await sql.end();
  });

  it('gives Temporal a role of its own: it may create databases, nothing more', async () => {
    const sql = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
    try {
      const roles = await sql<{ rolcreatedb: boolean; rolsuper: boolean; rolcreaterole: boolean }[]>`
        select rolcreatedb, rolsuper, rolcreaterole from pg_roles where rolname = ${names.temporal}`;
      expect(roles).toEqual([{ rolcreatedb: true, rolsuper: false, rolcreaterole: false }]);
    } finally {
      await sql.end();
    }
  });

  it('lets only the migrate job’s role migrate', async () => {
    const asService = await runProcess(
      process.execPath,
      ['--import', 'tsx', 'main/migrate.ts'],
      childEnv(runAs('worker')),
    );
    expect(asService.code).not.toBe(0);
    expect(asService.stderr).toMatch(/permission denied/);
    const migrated = await runProcess(
      process.execPath,
      ['--import', 'tsx', 'main/migrate.ts'],
      childEnv(runAs('migrate')),
    );
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('migrations applied (postgres database)');
  });

  it('runs API and worker on the service role: a joint initiative goes from creation to adoption', async () => {
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const api = startEntry('main/api.ts', runAs('api', { HOST: '127.0.0.1', PORT: String(port) }));
    const worker = startEntry(
      'main/worker.ts',
      runAs('worker', { WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') }),
    );
    children.push(api.child, worker.child);
    await eventually(
      () =>
        fetch(`${apiUrl}/readyz`).then(
          (response) => response.status,
          () => 0,
        ),
      (status) => status === 200,
      { timeoutMs: 60_000, intervalMs: 500, what: `the API to be ready:\n${api.output()}` },
    );
    // METRICS_TOKEN reached the API as a mounted secret file: /metrics asks for exactly that token.
    expect((await fetch(`${apiUrl}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${apiUrl}/metrics`, {
      headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` },
    });
    expect(scraped.status).toBe(200);
    // The worker's container health check doubles as the signal that it polls.
    await eventually(
      () => workerHealth(),
      (result) => result.code === 0,
      { timeoutMs: 90_000, intervalMs: 1000, what: `the worker to poll:\n${worker.output()}` },
    );

    const who = await principals();
    const send = async (path: string, tokenValue: string, body: unknown) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenValue}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Initiative };
    };
    const created = await send('/v1/initiatives', who.proposerBY, newInitiative());
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect(
      (await send(`/v1/initiatives/${id}/reviews`, who.reviewerNW, { decision: 'approve' })).status,
    ).toBe(200);
    const adopted = await send(`/v1/initiatives/${id}/reviews`, who.reviewerBY, { decision: 'approve' });
    expect(adopted.status).toBe(200);
    expect(adopted.body.phase).toBe('adopted');

    // Both sent their spans to the collector compose names (here: a local OTLP receiver in its place).
    await expect
      .poll(() => ['digital-dialog-api', 'digital-dialog-worker'].filter((name) => collector.saw(name)))
      .toEqual(['digital-dialog-api', 'digital-dialog-worker']);
    expect(collector.paths()).toEqual(['/v1/traces']);
  });

  it('reports a worker unhealthy when none of its host polls the task queue', async () => {
    const result = await workerHealth({ TEMPORAL_TASK_QUEUE: `${taskQueue}-nobody` });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no worker of');
  });

  it('keeps the audit trail append-only for the service role: it cannot switch the trigger off', async () => {
    const sql = postgres(local(environmentOf(model, 'api').DATABASE_URL), {
      max: 1,
      onnotice: () => undefined,
    });
    try {
      const [{ events } = { events: 0 }] = await sql<
        { events: number }[]
      >`select count(*)::int as events from audit_events`;
      expect(events).toBeGreaterThanOrEqual(4);
      await expect(sql`alter table audit_events disable trigger user`).rejects.toThrow(/must be owner/);
      // Not granted (migration hardening_audit_revoke), besides the trigger that would refuse them.
      await expect(sql`truncate audit_events`).rejects.toThrow(/permission denied/);
      await expect(sql`delete from audit_events`).rejects.toThrow(/permission denied/);
      await expect(sql`update audit_events set data = '{}'`).rejects.toThrow(/permission denied/);
      await expect(sql`delete from practice_audit_events`).rejects.toThrow(/permission denied/);
      // … while it still appends, and reads and writes the other tables
      await sql`select count(*) from webhooks`;
      await expect(sql`create table intruder (id int)`).rejects.toThrow(/permission denied/);
    } finally {
      await sql.end();
    }
  });
});
