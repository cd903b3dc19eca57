/**
 * Graceful shutdown of an entry process. The first SIGTERM (or SIGINT) runs `drain` — stop accepting,
 * finish what is in flight — and exits 0 once it is done. A second signal, or SHUTDOWN_TIMEOUT_MS passing,
 * exits at once with code 1: what was unfinished is left to retries, which is safe because every write is
 * one transaction keyed by initiative and version, and every command carries its Idempotency-Key.
 */
export interface ShutdownOptions {
  timeoutMs: number;
  log: (line: string) => void;
}

export function exitOnSignals(drain: () => Promise<void>, { timeoutMs, log }: ShutdownOptions): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) {
      log(`${signal} again: exiting without waiting for the drain`);
      process.exit(1);
    }
    draining = true;
    log(`${signal}: draining, at most ${timeoutMs} ms (send it again to exit at once)`);
    setTimeout(() => {
      log(`the drain did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    drain().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`the drain failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** A task whose failure ends the process (e.g. a worker's run loop): exit 1 rather than linger half-alive. */
export function exitWhenFailed(task: Promise<unknown>, what: string): void {
  task.catch((error: unknown) => {
    console.error(`${what} failed`, error);
    process.exit(1);
  });
}
