/**
 * The faults the suites inject into a running cluster, each recorded with what it hit. During the two
 * outages (PostgreSQL, Temporal) it also probes what clients see: /readyz on every API must answer 503
 * with Retry-After and name the missing dependency, and a command sent meanwhile must be answered 503
 * with Retry-After (never 500) and, retried with its key afterwards, take effect once.
 */
import type { Cluster } from './cluster.js';
import { note } from './progress.js';
import type { FirstAnswer, ResilientClient } from './client.js';
import { advance, type Lifecycle, type People, type Scenario } from './lifecycles.js';

export type FaultKind =
  'worker SIGKILL' | 'Temporal restart' | 'PostgreSQL restart' | 'API killed mid-command';

export interface FaultRecord {
  kind: FaultKind;
  /** Seconds since the injector was created. */
  at: number;
  /** Lifecycles of the batch under way (their last command not yet answered) when the fault hit. */
  inFlight: number;
  detail: string;
}

export interface OutageProbe {
  dependency: 'database' | 'temporal';
  /** /readyz of each API process running when the outage began; status 0: it did not answer. */
  readyz: { api: number; status: number; retryAfter: string | null; checks: Record<string, string> }[];
  /** First HTTP answer (0: none during the outage) to a create sent meanwhile, and its final answer. */
  command: { first: number; firstRetryAfter: string | null; final: number };
  /** A read sent during the outage (served from PostgreSQL, so 200 while only Temporal is down). */
  read: number;
}

/** A create whose Idempotency-Key outlives the outage: it belongs to the batch and is verified with it. */
export const PROBE: Scenario = {
  name: 'outage probe',
  phase: 'review',
  steps: [
    {
      label: 'create during an outage',
      actor: 'proposerNW',
      body: {
        title: 'Fault suite: created during an outage',
        summary: 'Sent while a dependency was down; retried with the same key.',
        topic: 'ai_supercomputing',
        channel: 'joint',
      },
      events: ['initiative_created'],
    },
  ],
};

export class FaultInjector {
  readonly records: FaultRecord[] = [];
  readonly probes: OutageProbe[] = [];
  private readonly started = Date.now();
  private readonly probesInFlight: Promise<unknown>[] = [];
  private nextWorker = 0;
  private nextApi = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly client: ResilientClient,
    private readonly who: People,
    /** The batch: probes are added to it; in-flight counts come from it. */
    private readonly lifecycles: Lifecycle[],
  ) {}

  private record(kind: FaultKind, detail: string): void {
    const inFlight = this.lifecycles.filter(
      (lifecycle) => lifecycle.commands.length < lifecycle.scenario.steps.length,
    ).length;
    this.records.push({ kind, at: (Date.now() - this.started) / 1000, inFlight, detail });
    note(`fault: ${kind} (${detail}); ${inFlight} lifecycles in flight`);
  }

  byKind(): Record<FaultKind, number> {
    const counts = {
      'worker SIGKILL': 0,
      'Temporal restart': 0,
      'PostgreSQL restart': 0,
      'API killed mid-command': 0,
    };
    for (const record of this.records) counts[record.kind] += 1;
    return counts;
  }

  async inject(kind: FaultKind): Promise<void> {
    switch (kind) {
      case 'worker SIGKILL':
        return this.killWorker();
      case 'Temporal restart':
        return this.restartTemporal();
      case 'PostgreSQL restart':
        return this.restartPostgres();
      case 'API killed mid-command':
        return this.killApiMidCommand();
    }
  }

  /** SIGKILL one worker (in turn) and start it again: its tasks time out and are retried elsewhere. */
  async killWorker(restart = true): Promise<void> {
    const index = this.nextWorker++ % this.cluster.workers.length;
    const worker = this.cluster.workers[index];
    if (!worker) throw new Error('no worker');
    await worker.stop('SIGKILL');
    this.record('worker SIGKILL', `${worker.name}${restart ? ', restarted' : ', left down'}`);
    if (restart) await worker.start();
  }

  /** SIGKILL the Temporal dev server; probe the outage; start it again on its SQLite file. */
  async restartTemporal(): Promise<void> {
    await this.cluster.temporal.kill();
    this.record('Temporal restart', 'SIGKILL, restarted on its SQLite file');
    await this.probeOutage('temporal');
    await this.cluster.temporal.start();
  }

  /** Crash PostgreSQL (immediate stop: no checkpoint, WAL recovery at start); probe; start it again. */
  async restartPostgres(): Promise<void> {
    await this.cluster.postgres.stop('immediate');
    this.record('PostgreSQL restart', 'immediate stop (crash), restarted with WAL recovery');
    await this.probeOutage('database');
    await this.cluster.postgres.start();
  }

  /**
   * SIGKILLs an API process (in turn) while it holds a command it has accepted — its Idempotency-Key is
   * claimed in the database — but not yet answered, then starts it again. The victim is a batch command
   * in flight on it if one shows up soon, else a create sent for the purpose.
   */
  async killApiMidCommand(restart = true): Promise<void> {
    const index = this.nextApi++ % this.cluster.apis.length;
    const api = this.cluster.apis[index];
    if (!api) throw new Error('no API');
    let victim: string | undefined;
    for (let attempt = 0; !victim; attempt++) {
      if (attempt > 0) void this.sendProbe();
      victim = await this.claimedOn(index, attempt === 0 ? 5_000 : 3_000);
      if (attempt > 20) throw new Error(`no command to kill ${api.name} in the middle of`);
    }
    await api.stop('SIGKILL');
    this.record('API killed mid-command', `${api.name}, holding ${victim.slice(0, 12)}…`);
    if (restart) await api.start();
  }

  /** Waits (at most `timeoutMs`) for a command in flight on API `index` that is claimed but unanswered. */
  private async claimedOn(index: number, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const scopes = [...this.client.inFlight].filter((f) => f.api === index).map((f) => f.scope);
      if (scopes.length > 0) {
        const rows = await this.cluster.sql<{ scope: string }[]>`
          select scope from idempotency_keys where scope in ${this.cluster.sql(scopes)} and response_status is null`;
        if (rows[0]) return rows[0].scope;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return undefined;
  }

  /** A create of the batch sent now; resolves with its command record once it has a definite answer. */
  private sendProbe(onFirstAnswer?: FirstAnswer) {
    const lifecycle: Lifecycle = { scenario: PROBE, id: undefined, commands: [] };
    this.lifecycles.push(lifecycle);
    const sent = advance(this.client, this.who, lifecycle, 0, onFirstAnswer).then(
      () => lifecycle.commands[0],
    );
    this.probesInFlight.push(sent);
    return sent;
  }

  /** Resolves once every create the injector sent has its definite answer. */
  async settled(): Promise<void> {
    await Promise.all(this.probesInFlight);
  }

  private async probeOutage(dependency: 'database' | 'temporal'): Promise<void> {
    const running = this.cluster.apis.flatMap((api, i) => (api.running ? [i] : []));
    const readyz = await Promise.all(
      running.map(async (i) => {
        const answer = await this.client.once(i, undefined, '/readyz');
        const checks = (answer.body as { checks?: Record<string, string> } | undefined)?.checks ?? {};
        return { api: i, status: answer.status, retryAfter: answer.retryAfter, checks };
      }),
    );
    // A process the outage crashed (see the driver defect in faults.test.ts) does not answer; ask one that did.
    const answering = running[readyz.findIndex((answer) => answer.status !== 0)] ?? 0;
    const read = await this.client.once(answering, this.who.viewer, '/v1/initiatives?limit=1');
    const command = { first: 0, firstRetryAfter: null as string | null, final: 0 };
    // The dependency stays down until the command got its first answer (Temporal: after COMMAND_TIMEOUT_MS),
    // or for 20 s if no API process answers at all (every one crashed: see the driver defect).
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 20_000);
      void this.sendProbe((status, retryAfter) => {
        command.first = status;
        command.firstRetryAfter = retryAfter;
        resolve();
      }).then((record) => {
        command.final = record?.status ?? 0;
      });
    });
    clearTimeout(timer);
    this.probes.push({ dependency, readyz, command, read: read.status });
  }
}
