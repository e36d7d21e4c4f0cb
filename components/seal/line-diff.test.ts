import { describe, expect, it } from "vitest";

import { foldUnchanged, lineDiff } from "./line-diff";

describe("lineDiff", () => {
  it("marks only the replaced line of a rotated key", () => {
    const before = "spec:\n  encryptedData:\n    A: AgOLD==\n    B: AgKEEP==\n";
    const after = "spec:\n  encryptedData:\n    A: AgNEW==\n    B: AgKEEP==\n";
    expect(lineDiff(before, after)).toEqual([
      { type: "same", text: "spec:" },
      { type: "same", text: "  encryptedData:" },
      { type: "removed", text: "    A: AgOLD==" },
      { type: "added", text: "    A: AgNEW==" },
      { type: "same", text: "    B: AgKEEP==" },
    ]);
  });

  it("shows a new file as all added, and an appended document after the kept ones", () => {
    expect(lineDiff("", "a\nb\n")).toEqual([
      { type: "added", text: "a" },
      { type: "added", text: "b" },
    ]);
    expect(lineDiff("x\ny\n", "x\ny\n---\nz\n").map((l) => l.type)).toEqual([
      "same",
      "same",
      "added",
      "added",
    ]);
  });
});

describe("foldUnchanged", () => {
  it("folds unchanged runs beyond the context around a change", () => {
    const before = ["1", "2", "3", "4", "5", "6", "7", "8"].join("\n");
    const after = ["1", "2", "3", "4", "5", "6", "7", "X"].join("\n");
    expect(foldUnchanged(lineDiff(before, after), 2)).toEqual([
      { type: "skipped", count: 5 },
      { type: "same", text: "6" },
      { type: "same", text: "7" },
      { type: "removed", text: "8" },
      { type: "added", text: "X" },
    ]);
  });
});
