import { isMap, isScalar, stringify, type Document, type Pair, type YAMLMap } from "yaml";

import { SealingError } from "./errors";
import { findMergeTarget, parseManifestFile } from "./find-merge-target";
import { scopeFromAnnotations } from "./scope";
import { REENCRYPTION_ANNOTATION } from "./reencryption-marker";
import { SEALED_WITH_ANNOTATION, type SealedSecretManifest } from "./sealed-secret-manifest";

type Edit = { start: number; end: number; text: string };
type Entry = readonly [key: string, value: string];

/**
 * Adds or replaces `update`'s sealed keys in the matching SealedSecret of a manifest file and returns
 * the new text. Unlike kubeseal's `--merge-into`, which re-serializes the whole object, this splices
 * the source: every byte outside the replaced values and the inserted lines stays as it was (comments,
 * key order, quoting, other documents, line endings). A replaced value keeps its quoting style; new keys
 * are appended after the last `encryptedData` entry with its indentation (or as JSON members in a
 * flow/JSON object). `sealdeck.io/sealed-with` is set to the key that sealed `update`; it then names the
 * most recent key, while older values may predate it.
 *
 * `update` must have been sealed for the existing object (see `findMergeTarget`): a different name,
 * namespace or scope is refused, since the controller would fail to unseal those values.
 *
 * @throws SealingError `merge-target-not-found`, `merge-mismatch` or `manifest-invalid`.
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/kubeseal/kubeseal.go (SealMergingInto)
 */
export function mergeInto(text: string, update: SealedSecretManifest): string {
  const target = findMergeTarget(text, { name: update.metadata.name, namespace: update.metadata.namespace });
  const scope = scopeFromAnnotations(update.metadata.annotations);
  if (scope !== target.scope) {
    throw new SealingError(
      "merge-mismatch",
      `The existing SealedSecret is ${target.scope} but the values were sealed ${scope}; refusing to merge.`,
    );
  }
  if (update.metadata.namespace && update.metadata.namespace !== target.namespace) {
    throw new SealingError(
      "merge-mismatch",
      "The values were sealed for another namespace; refusing to merge.",
    );
  }

  const documents = parseManifestFile(text);
  const document = documents[target.documentIndex]!;
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const root = document.contents;
  if (!isMap(root)) throw invalid("its document is not a mapping");

  const encryptedData = mapAt(root, ["spec", "encryptedData"]);
  if (!encryptedData) throw invalid("it has no spec.encryptedData mapping");
  const edits = upsert(
    text,
    encryptedData,
    Object.entries(update.spec.encryptedData),
    newline,
    "spec.encryptedData",
  );

  // A re-encryption also writes its marker (reencryption-marker.ts); a seal leaves an older one as it is,
  // since the marker only covers the exact ciphertexts it lists.
  const marked = Object.fromEntries(
    [SEALED_WITH_ANNOTATION, REENCRYPTION_ANNOTATION].flatMap((key) => {
      const value = update.metadata.annotations?.[key];
      return value ? [[key, value]] : [];
    }),
  );
  const entries: Entry[] = Object.entries(marked);
  if (entries.length > 0) {
    const metadata = mapAt(root, ["metadata"]);
    if (!metadata) throw invalid("it has no metadata mapping");
    const annotations = mapAt(metadata, ["annotations"]);
    edits.push(
      ...(annotations
        ? upsert(text, annotations, entries, newline, "metadata.annotations")
        : [insertNestedMap(text, metadata, "annotations", entries, newline)]),
    );
  }

  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  verify(documents, target.documentIndex, result, update, marked);
  return result;
}

/** Replaces existing keys' values in place and appends the others after the map's last entry. */
function upsert(
  text: string,
  map: YAMLMap,
  entries: readonly Entry[],
  newline: string,
  where: string,
): Edit[] {
  const edits: Edit[] = [];
  const added: Entry[] = [];
  for (const [key, value] of entries) {
    const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (!pair) {
      added.push([key, value]);
      continue;
    }
    const node = pair.value;
    if (!isScalar(node) || !node.range)
      throw invalid(`${where}[${JSON.stringify(key)}] is not a plain value`);
    edits.push({
      start: node.range[0],
      end: node.range[1],
      text: scalarLike(node.type, value, newline, map.flow),
    });
  }
  if (added.length > 0)
    edits.push(
      map.flow
        ? appendToFlowMap(text, map, added, newline)
        : appendToBlockMap(text, map, added, newline, where),
    );
  return edits;
}

/** A new value written in the style of the one it replaces, so quoting stays as the author chose. */
function scalarLike(
  type: string | undefined,
  value: string,
  newline: string,
  flow: boolean | undefined,
): string {
  switch (type) {
    case "QUOTE_DOUBLE":
      return JSON.stringify(value);
    case "QUOTE_SINGLE":
      return `'${value.replace(/'/g, "''")}'`;
    case "BLOCK_LITERAL":
    case "BLOCK_FOLDED":
      // A block scalar's range ends after its last line break; keep one so the next key stays put.
      return `${blockScalar(value)}${newline}`;
    default:
      return flow ? JSON.stringify(value) : blockScalar(value);
  }
}

/** The shortest YAML scalar that reads back as the same string (`true`, `123` get quoted). */
function blockScalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function appendToBlockMap(
  text: string,
  map: YAMLMap,
  added: readonly Entry[],
  newline: string,
  where: string,
): Edit {
  const last = map.items.at(-1) as Pair | undefined;
  const lastKey = last?.key;
  if (!last || !isScalar(lastKey) || !lastKey.range) throw invalid(`${where} is empty or malformed`);
  const indent = " ".repeat(column(text, lastKey.range[0]));
  const end =
    (isScalar(last.value) || isMap(last.value)) && last.value.range ? last.value.range[1] : lastKey.range[1];
  const lines = added
    .map(([key, value]) => `${indent}${blockScalar(key)}: ${blockScalar(value)}${newline}`)
    .join("");
  if (end > 0 && text[end - 1] === "\n") return { start: end, end, text: lines };
  const lineEnd = text.indexOf("\n", end);
  if (lineEnd === -1)
    return { start: text.length, end: text.length, text: `${newline}${lines.slice(0, -newline.length)}` };
  return { start: lineEnd + 1, end: lineEnd + 1, text: lines };
}

function appendToFlowMap(text: string, map: YAMLMap, added: readonly Entry[], newline: string): Edit {
  const members = added.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const last = map.items.at(-1) as Pair | undefined;
  const lastValue = last?.value;
  if (!last || !isScalar(last.key) || !last.key.range || !isScalar(lastValue) || !lastValue.range) {
    // `{}`: put the members just inside the brace.
    const open = map.range ? text.indexOf("{", map.range[0]) : -1;
    if (open === -1) throw invalid("a flow mapping has no opening brace");
    return { start: open + 1, end: open + 1, text: members.join(", ") };
  }
  // Pretty-printed JSON puts each member on its own line; follow that, else stay on one line.
  const keyStart = last.key.range[0];
  const multiline = map.range != null && text.slice(map.range[0], keyStart).includes("\n");
  const separator = multiline ? `,${newline}${" ".repeat(column(text, keyStart))}` : ", ";
  const end = lastValue.range[1];
  return { start: end, end, text: members.map((m) => `${separator}${m}`).join("") };
}

/** Adds `name: {key: value, …}` as the first entry of `parent`, e.g. a missing `metadata.annotations`. */
function insertNestedMap(
  text: string,
  parent: YAMLMap,
  name: string,
  entries: readonly Entry[],
  newline: string,
): Edit {
  const first = parent.items[0] as Pair | undefined;
  const firstKey = first?.key;
  if (!first || !isScalar(firstKey) || !firstKey.range) throw invalid("its metadata is empty");
  const keyStart = firstKey.range[0];
  const indent = " ".repeat(column(text, keyStart));
  if (parent.flow) {
    const multiline = parent.range != null && text.slice(parent.range[0], keyStart).includes("\n");
    const members = entries.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    const member = `${JSON.stringify(name)}: {${members.join(", ")}}`;
    return { start: keyStart, end: keyStart, text: `${member},${multiline ? `${newline}${indent}` : " "}` };
  }
  const lineStart = keyStart - column(text, keyStart);
  // Nested one level deeper by the step this file already uses between `metadata:` and its keys.
  const step = Math.max(column(text, keyStart) - column(text, parentKeyStart(text, lineStart)), 2);
  const lines = `${indent}${name}:${newline}${entries
    .map(([key, value]) => `${indent}${" ".repeat(step)}${blockScalar(key)}: ${blockScalar(value)}${newline}`)
    .join("")}`;
  if (text.slice(lineStart, keyStart).trim() !== "")
    throw invalid("its metadata layout is not supported for merging");
  return { start: lineStart, end: lineStart, text: lines };
}

/** Start of the line above `lineStart` that holds the parent key (`metadata:`); its column sets the step. */
function parentKeyStart(text: string, lineStart: number): number {
  let position = lineStart - 1;
  while (position > 0) {
    const start = text.lastIndexOf("\n", position - 1) + 1;
    const line = text.slice(start, position);
    if (line.trim() !== "" && !line.trim().startsWith("#"))
      return start + (line.length - line.trimStart().length);
    position = start - 1;
  }
  return 0;
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

function mapAt(map: YAMLMap, path: readonly string[]): YAMLMap | undefined {
  let node: unknown = map;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    node = node.get(key, true);
  }
  return isMap(node) ? node : undefined;
}

/**
 * Re-reads the merged text and checks the target holds exactly the old keys plus the new values and
 * every other document reads back unchanged, so an unforeseen layout fails instead of corrupting a file.
 */
function verify(
  before: Document.Parsed[],
  targetIndex: number,
  result: string,
  update: SealedSecretManifest,
  annotations: Record<string, string>,
): void {
  const after = parseManifestFile(result);
  const same =
    after.length === before.length &&
    after.every((document, index) => {
      const expected = before[index]!.toJS() as unknown;
      if (index !== targetIndex) return JSON.stringify(document.toJS()) === JSON.stringify(expected);
      const merged = structuredClone(expected) as {
        metadata: { annotations?: Record<string, string> };
        spec: { encryptedData: Record<string, string> };
      };
      Object.assign(merged.spec.encryptedData, update.spec.encryptedData);
      if (Object.keys(annotations).length > 0)
        merged.metadata.annotations = { ...merged.metadata.annotations, ...annotations };
      return sameJson(document.toJS(), merged);
    });
  if (!same) throw invalid("its layout could not be edited in place safely");
}

/** Deep equality that ignores key order (new keys are appended, annotations may move first). */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (key) =>
        Object.hasOwn(b, key) &&
        sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

function invalid(reason: string): SealingError {
  return new SealingError(
    "manifest-invalid",
    `Cannot merge into the existing SealedSecret: ${reason}; the file was left unchanged.`,
  );
}
