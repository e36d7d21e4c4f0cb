export type DiffLine = { type: "same" | "added" | "removed"; text: string };
export type DiffHunkLine = DiffLine | { type: "skipped"; count: number };

const split = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/**
 * A line diff of two small texts (manifests): the common start and end are matched first, the middle by
 * longest common subsequence. Manifest files are a few hundred lines at most, so O(n·m) is fine.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = split(before);
  const b = split(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  // lengths[i][j]: the LCS of midA[i..] and midB[j..].
  const lengths = Array.from({ length: midA.length + 1 }, () => new Array<number>(midB.length + 1).fill(0));
  for (let i = midA.length - 1; i >= 0; i--)
    for (let j = midB.length - 1; j >= 0; j--)
      lengths[i]![j] =
        midA[i] === midB[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      middle.push({ type: "same", text: midA[i]! });
      i++;
      j++;
    } else if (i < midA.length && (j >= midB.length || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      // Removals before additions, as `git diff` shows a replaced line.
      middle.push({ type: "removed", text: midA[i]! });
      i++;
    } else {
      middle.push({ type: "added", text: midB[j]! });
      j++;
    }
  }
  return [
    ...a.slice(0, start).map((text) => ({ type: "same" as const, text })),
    ...middle,
    ...a.slice(endA).map((text) => ({ type: "same" as const, text })),
  ];
}

/** The diff with unchanged runs longer than `context` lines on each side of a change folded away. */
export function foldUnchanged(lines: readonly DiffLine[], context = 3): DiffHunkLine[] {
  const keep = lines.map((line) => line.type !== "same");
  const near = lines.map((_, index) =>
    lines.slice(Math.max(0, index - context), index + context + 1).some((line) => line.type !== "same"),
  );
  const result: DiffHunkLine[] = [];
  let skipped = 0;
  for (const [index, line] of lines.entries()) {
    if (keep[index] || near[index]) {
      if (skipped > 0) result.push({ type: "skipped", count: skipped });
      skipped = 0;
      result.push(line);
    } else skipped++;
  }
  if (skipped > 0) result.push({ type: "skipped", count: skipped });
  return result;
}
