const started = Date.now();

/** A progress line with the seconds since the run began (vitest shows it with the test's output). */
export function note(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

/** A counter others can wait on: the clients wait for the faults, so that the batch spans all of them. */
export class Progress {
  private value = 0;
  private readonly waiters: { target: number; resolve: () => void }[] = [];

  get count(): number {
    return this.value;
  }

  increment(): void {
    this.value += 1;
    for (const waiter of this.waiters.filter((w) => w.target <= this.value)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Resolves once the count has reached `target`. */
  reach(target: number): Promise<void> {
    if (this.value >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }
}
