/** Counts of answers by status, per key (an endpoint, a command kind), for the figures the tests print. */
export class StatusTally {
  private readonly counts = new Map<string, Map<number, number>>();

  add(key: string, status: number): void {
    const byStatus = this.counts.get(key) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.counts.set(key, byStatus);
  }

  private of(key?: string): Map<number, number>[] {
    if (key === undefined) return [...this.counts.values()];
    const byStatus = this.counts.get(key);
    return byStatus ? [byStatus] : [];
  }

  /** How many answers had `status` (under `key`, or under every key). */
  count(status: number, key?: string): number {
    return this.of(key).reduce((sum, byStatus) => sum + (byStatus.get(status) ?? 0), 0);
  }

  total(key?: string): number {
    return this.of(key).reduce((sum, byStatus) => sum + [...byStatus.values()].reduce((a, b) => a + b, 0), 0);
  }

  keys(): string[] {
    return [...this.counts.keys()];
  }

  /** `200×12 403×3 …`, ascending by status. */
  describe(key?: string): string {
    const merged = new Map<number, number>();
    for (const byStatus of this.of(key))
      for (const [status, n] of byStatus) merged.set(status, (merged.get(status) ?? 0) + n);
    return [...merged]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
  }
}
