import "server-only";

/**
 * Phase durations of one request, for a `Server-Timing` response header: the browser's DevTools and
 * PerformanceResourceTiming.serverTiming show where a slow page spent its time (the secret page bench
 * reads them). Durations only, never values.
 */
export function serverTiming() {
  const phases: { name: string; ms: number }[] = [];
  return {
    async time<T>(name: string, work: () => Promise<T> | T): Promise<T> {
      const started = performance.now();
      try {
        return await work();
      } finally {
        phases.push({ name, ms: performance.now() - started });
      }
    },
    header(): string {
      return phases.map((p) => `${p.name};dur=${p.ms.toFixed(1)}`).join(", ");
    },
  };
}
