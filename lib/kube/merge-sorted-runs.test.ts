import { describe, expect, it } from "vitest";
import { mergeSortedRuns } from "./merge-sorted-runs";

const ascending = (a: number, b: number) => a - b;

describe("mergeSortedRuns", () => {
  it("takes the first items of the union in order, from each run's start", () => {
    const runs = [[1, 4, 9], [], [2, 3, 10, 11], [5]];
    expect(mergeSortedRuns(runs, [0, 0, 0, 0], 100, ascending)).toEqual([1, 2, 3, 4, 5, 9, 10, 11]);
    expect(mergeSortedRuns(runs, [0, 0, 0, 0], 3, ascending)).toEqual([1, 2, 3]);
    expect(mergeSortedRuns(runs, [1, 0, 2, 1], 100, ascending)).toEqual([4, 9, 10, 11]);
    expect(mergeSortedRuns(runs, [3, 0, 4, 1], 100, ascending)).toEqual([]);
    expect(mergeSortedRuns([], [], 10, ascending)).toEqual([]);
  });

  it("equals sorting the union, for random runs, starts and limits", () => {
    let seed = 3;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const runs = Array.from({ length: 1 + random(8) }, () =>
        Array.from({ length: random(12) }, () => random(1000)).sort(ascending),
      );
      const starts = runs.map((run) => random(run.length + 1));
      const limit = 1 + random(40);
      const union = runs.flatMap((run, i) => run.slice(starts[i])).sort(ascending);
      expect(mergeSortedRuns(runs, starts, limit, ascending)).toEqual(union.slice(0, limit));
    }
  });
});
