/**
 * Runs `temporal server start-dev` as a child process: for `npm start` (persisted under .data/) and for
 * the tests (in memory, on free ports). Workflow Updates are switched on explicitly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli.js';

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** SQLite file for persistence; in memory when absent. */
  dbFile?: string;
  /** `--sqlite-pragma` values for the file, e.g. `journal_mode=wal`. */
  sqlitePragmas?: string[];
  port?: number;
  uiPort?: number;
  headless?: boolean;
  log?: (line: string) => void;
}

/** How many of the dev server's last log lines a start-up error shows. */
const LOG_LINES_KEPT = 20;

export function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.unref();
    server.on('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : rejectPort(new Error('no port')),
      );
    });
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = ensureTemporalCli();
  const port = options.port ?? (await freePort());
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    // The workflow's persisting activity is handed straight back to the worker that scheduled it, which
    // saves a round trip through the matching service on every command (measured: bench/README.md).
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const pragma of options.sqlitePragmas ?? []) args.push('--sqlite-pragma', pragma);
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.log;
  // The child's last lines go into every start-up error: its own reason is otherwise lost.
  const recent: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    log?.(text);
    recent.push(...text.split('\n').filter((line) => line.trim() !== ''));
    recent.splice(0, Math.max(0, recent.length - LOG_LINES_KEPT));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const lastLines = () =>
    recent.length > 0 ? `; its last log lines:\n  ${recent.join('\n  ')}` : ' (it logged nothing)';
  const exited = new Promise<void>((resolveExit) => child.once('close', () => resolveExit()));

  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      // Its output may still be in the pipes: wait for it, so that the reason is in the message.
      await exited;
      throw new Error(`temporal server start-dev exited with code ${child.exitCode}${lastLines()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `Temporal dev server did not come up on ${address}: ${(error as Error).message}${lastLines()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
