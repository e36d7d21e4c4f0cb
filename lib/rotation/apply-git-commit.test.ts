import { describe, expect, it } from "vitest";
import { applyGitCommit, gitKeyRows, type GitKeyState } from "./apply-git-commit";
import { ciphertextHash, type ParsedManifestKeys } from "./parse-git-manifest-keys";

const keys = (...entries: [string, string, string, string][]): ParsedManifestKeys => ({
  ok: true,
  unattributed: 0,
  keys: entries.map(([namespace, name, key, value]) => ({
    namespace,
    name,
    key,
    valueHash: ciphertextHash(value),
  })),
});
const at = (n: number) => ({
  commit: `c${n}`,
  committedAt: `2025-0${n}-01T00:00:00.000Z`,
  author: `author${n}`,
});
const dates = (state: GitKeyState) =>
  Object.fromEntries(gitKeyRows(state).map((r) => [`${r.path}:${r.namespace}/${r.name}#${r.key}`, r.commit]));

describe("applyGitCommit", () => {
  it("keeps a key's date while its ciphertext is unchanged, even when the file is unparsable for a while", () => {
    const state: GitKeyState = new Map();
    applyGitCommit(state, at(1), new Map([["a.yaml", keys(["n", "s", "x", "X1"], ["n", "s", "y", "Y1"])]]));
    expect(applyGitCommit(state, at(2), new Map([["a.yaml", { ok: false }]]))).toMatchObject({
      unparsable: 1,
      changed: 0,
    });
    expect(
      applyGitCommit(state, at(3), new Map([["a.yaml", keys(["n", "s", "x", "X1"], ["n", "s", "y", "Y3"])]])),
    ).toMatchObject({ changed: 1, removed: 0 });
    expect(dates(state)).toEqual({ "a.yaml:n/s#x": "c1", "a.yaml:n/s#y": "c3" });
  });

  it("carries a moved ciphertext's date to its new file, and dates a copy with changed value anew", () => {
    const state: GitKeyState = new Map();
    applyGitCommit(state, at(1), new Map([["old.yaml", keys(["n", "s", "x", "X1"], ["n", "s", "y", "Y1"])]]));
    const moved = applyGitCommit(
      state,
      at(2),
      new Map<string, ParsedManifestKeys | null>([
        ["old.yaml", null],
        ["new.yaml", keys(["n", "s", "x", "X1"], ["n", "s", "y", "Y2"])],
      ]),
    );
    expect(moved).toMatchObject({ changed: 1, removed: 2 });
    expect(dates(state)).toEqual({ "new.yaml:n/s#x": "c1", "new.yaml:n/s#y": "c2" });
  });

  it("forgets a key taken out of a file and a file emptied of SealedSecrets", () => {
    const state: GitKeyState = new Map();
    applyGitCommit(state, at(1), new Map([["a.yaml", keys(["n", "s", "x", "X1"], ["n", "s", "y", "Y1"])]]));
    applyGitCommit(state, at(2), new Map([["a.yaml", keys(["n", "s", "x", "X1"])]]));
    expect(dates(state)).toEqual({ "a.yaml:n/s#x": "c1" });
    applyGitCommit(state, at(3), new Map([["a.yaml", keys()]]));
    expect(state.size).toBe(0);
  });
});
