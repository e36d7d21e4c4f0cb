import "server-only";

import type { ManifestKey, ParsedManifestKeys } from "./parse-git-manifest-keys";

/** The last change of one key in one file, as git_key_changes stores it. */
export type GitKeyRow = ManifestKey & {
  path: string;
  commit: string;
  /** ISO. */
  committedAt: string;
  author: string;
};

/** path → `JSON [namespace, name, key]` → row: what is known at the commit read last. Owned by one pass. */
export type GitKeyState = Map<string, Map<string, GitKeyRow>>;

export type AppliedCommit = { changed: number; removed: number; unparsable: number; unattributed: number };

const keyOf = (k: { namespace: string; name: string; key: string }) =>
  JSON.stringify([k.namespace, k.name, k.key]);

/** A key's ciphertext: the same value in any file of any commit (sealing is randomised). */
export const gitValueId = (k: ManifestKey) => `${keyOf(k)}|${k.valueHash}`;

/**
 * Moves `state` past one commit. A key whose ciphertext the commit left as it was keeps its older date
 * (another key of the same secret changed, the file was reformatted); a new or changed ciphertext takes
 * this commit's. A ciphertext that only moved (a file renamed, a secret moved to another file, in the
 * same commit) keeps the date of the commit that set it. A file that no longer parses keeps what was
 * known until a later commit fixes it. A re-encryption is not a change of value: a ciphertext set by a
 * commit with the `Sealdeck-Reencryption` trailer (for a merge: the merged commit that set it) and listed
 * by its SealedSecret's re-encryption marker keeps the key's earlier commit and date (its hash moves on,
 * so a later commit is compared with the new ciphertext).
 */
export type GitCommitRef = {
  commit: string;
  committedAt: string;
  author: string;
  /** A Sealdeck re-encryption commit (its trailer): see applyGitCommit. */
  reencryption?: boolean;
};

export function applyGitCommit(
  state: GitKeyState,
  commit: GitCommitRef,
  files: ReadonlyMap<string, ParsedManifestKeys | null>,
  /** For a merge: the commit of the merged branch that set this ciphertext, which the change is dated by. */
  origin?: (key: ManifestKey) => GitCommitRef | null,
): AppliedCommit {
  const result: AppliedCommit = { changed: 0, removed: 0, unparsable: 0, unattributed: 0 };
  // Ciphertexts this commit took out of a file, by key and value: a move carries its row over.
  const released = new Map<string, GitKeyRow>();
  const release = (row: GitKeyRow) => released.set(gitValueId(row), row);
  const pending: {
    path: string;
    target: Map<string, GitKeyRow>;
    key: ManifestKey;
    prior: GitKeyRow | undefined;
  }[] = [];

  for (const [path, parsed] of files) {
    const previous = state.get(path) ?? new Map<string, GitKeyRow>();
    if (parsed === null) {
      previous.forEach(release);
      result.removed += previous.size;
      state.delete(path);
      continue;
    }
    if (!parsed.ok) {
      result.unparsable += 1;
      continue;
    }
    result.unattributed += parsed.unattributed;
    const next = new Map<string, GitKeyRow>();
    const present = new Set(parsed.keys.map(keyOf));
    for (const key of parsed.keys) {
      const id = keyOf(key);
      const prior = previous.get(id);
      if (prior && prior.valueHash === key.valueHash) next.set(id, prior);
      else pending.push({ path, target: next, key, prior });
    }
    for (const [id, prior] of previous) {
      if (next.get(id) !== prior) release(prior);
      if (!present.has(id)) result.removed += 1;
    }
    if (present.size > 0) state.set(path, next);
    else state.delete(path);
  }

  for (const { path, target, key, prior } of pending) {
    const { reencrypted, ...names } = key;
    const moved = released.get(gitValueId(key));
    const setBy = moved ? null : (origin?.(key) ?? commit);
    const from = moved ?? setBy ?? commit;
    if (prior && reencrypted && setBy?.reencryption) {
      target.set(keyOf(key), { ...prior, valueHash: key.valueHash });
      continue;
    }
    const row: GitKeyRow = {
      ...names,
      path,
      commit: from.commit,
      committedAt: from.committedAt,
      author: from.author,
    };
    if (!moved) result.changed += 1;
    target.set(keyOf(key), row);
  }
  return result;
}

/** Every row of a state, for writing. */
export function gitKeyRows(state: GitKeyState): GitKeyRow[] {
  return [...state.values()].flatMap((rows) => [...rows.values()]);
}

/** A state from stored rows. */
export function gitKeyStateFrom(rows: readonly GitKeyRow[]): GitKeyState {
  const state: GitKeyState = new Map();
  for (const row of rows) {
    let byKey = state.get(row.path);
    if (!byKey) state.set(row.path, (byKey = new Map()));
    byKey.set(keyOf(row), row);
  }
  return state;
}

export { keyOf as gitKeyId };
