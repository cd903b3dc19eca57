/** IPC of a bench child: reports ready, answers memory requests, shuts down cleanly on SIGTERM. */
import type { ChildMessage } from '../services.js';

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

export function ready(port?: number): void {
  send(port === undefined ? { type: 'ready' } : { type: 'ready', port });
}

/**
 * Answers `{type: 'memory'}` with process.memoryUsage() after a full GC (the child runs with --expose-gc),
 * and runs `close` on SIGTERM/SIGINT before exiting (so that --cpu-prof writes its profile).
 */
export function serve(close: () => Promise<void>): void {
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'memory') return;
    globalThis.gc?.();
    send({ type: 'memory', usage: process.memoryUsage() });
  });
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  // The parent died: do not linger.
  process.once('disconnect', shutdown);
}

export function fail(error: unknown): never {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
