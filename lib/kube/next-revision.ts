/**
 * The inventory's next revision: microseconds since the epoch, or one more than the last when the clock
 * has not moved on (or went back). Behind a load balancer without sticky sessions a browser's list may
 * come from one replica and its event stream from another; time-based revisions order both by when
 * each replica saw the change, where per-process counters (1, 2, 3…) would not compare at all.
 */
export function nextRevision(previous: number, nowMs: number = Date.now()): number {
  return Math.max(previous + 1, Math.floor(nowMs) * 1000);
}
