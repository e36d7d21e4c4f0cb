import "server-only";

/**
 * The first `limit` items of the union of `runs`, each already sorted by `compare` and read from its
 * `starts[i]` on, in `compare` order. A binary heap of the runs' heads: `limit · log(runs)` comparisons
 * however long the runs are, which is what makes a viewer's page of a few namespaces cheap.
 */
export function mergeSortedRuns<T>(
  runs: readonly (readonly T[])[],
  starts: readonly number[],
  limit: number,
  compare: (a: T, b: T) => number,
): T[] {
  if (runs.length === 1) return runs[0]!.slice(starts[0] ?? 0, (starts[0] ?? 0) + limit);
  // heap[i] is a run index; at[run] the position of its head.
  const at = runs.map((_, i) => starts[i] ?? 0);
  const heap = runs.map((_, i) => i).filter((i) => at[i]! < runs[i]!.length);
  const head = (run: number) => runs[run]![at[run]!]!;
  const less = (a: number, b: number) => compare(head(heap[a]!), head(heap[b]!)) < 0;
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && less(left, smallest)) smallest = left;
      if (right < heap.length && less(right, smallest)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  const out: T[] = [];
  while (out.length < limit && heap.length > 0) {
    const run = heap[0]!;
    out.push(head(run));
    at[run]! += 1;
    if (at[run]! >= runs[run]!.length) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(0);
  }
  return out;
}
