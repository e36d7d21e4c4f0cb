// Audit summaries of list settings: which entries (by id) were added, removed or changed. Ids and
// names only: an entry's other fields may name credentials' variables, and the audit log needs no more.

export function diffById<T>(
  previous: readonly T[] | null,
  next: readonly T[] | null,
  idOf: (item: T) => string,
): { added: string[]; removed: string[]; changed: string[] } {
  const before = new Map((previous ?? []).map((item) => [idOf(item), JSON.stringify(item)]));
  const after = new Map((next ?? []).map((item) => [idOf(item), JSON.stringify(item)]));
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)),
  };
}
