import "server-only";

/**
 * A deduplicating queue like client-go's workqueue: a key queued many times before it runs is handled
 * once, handlers run one at a time off the store's event callback, and failures are reported, not thrown.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private running = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly handle: (key: string) => Promise<void> | void,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  add(key: string) {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Resolves when nothing is queued or running (tests and seeding wait on it). */
  idle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop() {
    this.stopped = true;
    this.pending.clear();
  }

  private async drain() {
    while (this.pending.size > 0 && !this.stopped) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      try {
        await this.handle(key);
      } catch (error) {
        this.onError(key, error);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
