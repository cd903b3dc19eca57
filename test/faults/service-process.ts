/**
 * One project entry — `main/api.ts` or `main/worker.ts` — as a child process started the way
 * production starts it (`node --import tsx <entry>`, configured by environment), which the fault tests
 * kill and start again. Like a supervisor (systemd `Restart=always`, a Compose restart policy), it starts
 * a process again that exited without being asked to, and records that crash with its last output.
 * All output is appended to a log file for the post-mortem of a failed run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { projectRoot } from '../../runtime/config.js';

/** How to tell that the process is up: its /healthz answers, or it printed a line containing `text`. */
export type Readiness = { kind: 'http'; url: string } | { kind: 'line'; text: string };

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** An exit nobody asked for, after the process had been ready. */
export interface Crash extends ExitStatus {
  at: string;
  /** The end of what it printed: the reason, as Node reports an uncaught error. */
  output: string;
}

export interface StartOptions {
  /** Added to the environment of this start only. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<ExitStatus> | undefined;
  private starting: Promise<void> | undefined;
  private ready = false;
  private expectingExit = false;
  private retired = false;
  private tail = '';
  private readonly awaited = new Map<string, () => void>();
  private readonly log: WriteStream;
  readonly crashes: Crash[] = [];

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly readiness: Readiness,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the process and resolves once it is ready; fails if it exits first or takes too long. While a
   * start is under way (e.g. the supervisor's), a second call waits for that one.
   */
  start(options: StartOptions = {}): Promise<void> {
    if (this.starting) return this.starting;
    if (this.running) return Promise.resolve();
    this.starting = this.launch(options).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async launch({ env = {}, timeoutMs = 120_000 }: StartOptions): Promise<void> {
    this.expectingExit = false;
    this.ready = false;
    this.tail = '';
    this.log.write(`\n===== ${new Date().toISOString()} start ${this.name} ${JSON.stringify(env)}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], {
      cwd: projectRoot,
      env: { ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.log.write(chunk);
      this.tail = (this.tail + chunk.toString()).slice(-20_000);
      for (const [text, resolve] of this.awaited) if (this.tail.includes(text)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.log.write(`\n===== ${new Date().toISOString()} exit ${JSON.stringify({ code, signal })}\n`);
        if (this.ready && !this.expectingExit) {
          this.crashes.push({ code, signal, at: new Date().toISOString(), output: this.tail.slice(-1500) });
          void this.revive();
        }
        resolve({ code, signal });
      }),
    );
    const exitedEarly = this.exit.then((status) => {
      throw new Error(`${this.name} exited (${JSON.stringify(status)}) before it was ready:\n${this.tail}`);
    });
    const ready =
      this.readiness.kind === 'http' ? this.healthy(this.readiness.url) : this.printed(this.readiness.text);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} not ready within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ready, exitedEarly, timedOut]);
      this.ready = true;
    } finally {
      clearTimeout(timer);
      exitedEarly.catch(() => undefined);
    }
  }

  /** After a crash: start again, backing off while it cannot come up (e.g. its database is still down). */
  private async revive(): Promise<void> {
    for (let attempt = 0; !this.retired && !this.running; attempt++) {
      await pause(Math.min(250 * 2 ** attempt, 4000));
      if (this.retired || this.running) return;
      await this.start().catch(() => undefined);
    }
  }

  private async healthy(baseUrl: string): Promise<void> {
    for (;;) {
      if (!this.running) return; // the exit rejects the race
      try {
        const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await pause(100);
    }
  }

  /** Resolves once the process has printed `text` (since its last start). */
  printed(text: string): Promise<void> {
    if (this.tail.includes(text)) return Promise.resolve();
    return new Promise((resolve) =>
      this.awaited.set(text, () => {
        this.awaited.delete(text);
        resolve();
      }),
    );
  }

  /** Sends `signal` without waiting (e.g. the first SIGTERM of a drain). The exit is expected from now on. */
  signal(signal: NodeJS.Signals): void {
    this.expectingExit = true;
    this.child?.kill(signal);
  }

  /** Resolves when the process has exited, with how it exited. */
  async exited(): Promise<ExitStatus> {
    if (!this.exit) throw new Error(`${this.name} was never started`);
    return this.exit;
  }

  /** Sends `signal` (SIGKILL unless told otherwise) and waits until the process has exited. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    await this.starting?.catch(() => undefined);
    if (!this.running) return this.exited();
    this.signal(signal);
    return this.exited();
  }

  /** Stops it for good: no more restarts. */
  async retire(): Promise<void> {
    this.retired = true;
    await this.stop('SIGKILL');
    this.log.end();
  }
}
