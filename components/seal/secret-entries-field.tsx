"use client";

import { useId, useState, type ChangeEvent } from "react";
import { inputClassName } from "@/components/ui/text-field";
import {
  alphabets,
  entropyBits,
  generateRandomValue,
  MAX_GENERATED_LENGTH,
  MIN_GENERATED_LENGTH,
  type AlphabetName,
} from "./generate-random-value";

/** A value held only in this page: typed (or generated) text, or a file's bytes read in the browser. */
export type EntryValue = { kind: "text"; text: string } | { kind: "file"; name: string; bytes: Uint8Array };
export type SecretEntryRow = { id: string; key: string; value: EntryValue };

const utf8 = new TextEncoder();
export const emptyValue: EntryValue = { kind: "text", text: "" };

export function entrySize(value: EntryValue): number {
  return value.kind === "file" ? value.bytes.length : utf8.encode(value.text).length;
}

type SecretEntriesFieldProps = {
  rows: readonly SecretEntryRow[];
  onChange: (rows: SecretEntryRow[]) => void;
  /** Keys that may not be renamed or removed (the type's required keys, or the keys being rotated). */
  fixedKeys: readonly string[];
  /** Rotation: the set of keys is given; only values can be entered. */
  keysLocked: boolean;
  errors: Record<string, string>;
  disabled?: boolean;
  newId: () => string;
};

const smallButton =
  "rounded border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** The Secret's keys and their values: typed, uploaded from a file, or generated, all in the browser. */
export function SecretEntriesField({
  rows,
  onChange,
  fixedKeys,
  keysLocked,
  errors,
  disabled,
  newId,
}: SecretEntriesFieldProps) {
  const id = useId();
  const update = (rowId: string, patch: Partial<SecretEntryRow>) =>
    onChange(rows.map((row) => (row.id === rowId ? { ...row, ...patch } : row)));
  return (
    <fieldset aria-describedby={`${id}-help`}>
      <legend className="text-sm font-medium">Keys and values</legend>
      <p id={`${id}-help`} className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        Values are encrypted in this browser, never sent to Sealdeck or anywhere else, and cleared once
        sealed.
      </p>
      {errors.entries && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
          {errors.entries}
        </p>
      )}
      <ol className="mt-2 space-y-3">
        {rows.map((row, index) => (
          <EntryRow
            key={row.id}
            row={row}
            index={index}
            keyFixed={keysLocked || fixedKeys.includes(row.key)}
            removable={!keysLocked && !fixedKeys.includes(row.key) && rows.length > 1}
            keyError={errors[`entries.${index}.key`]}
            valueError={errors[`entries.${index}.size`] ?? errors[`entries.${index}.value`]}
            disabled={disabled}
            onChange={(patch) => update(row.id, patch)}
            onRemove={() => onChange(rows.filter((r) => r.id !== row.id))}
          />
        ))}
      </ol>
      {!keysLocked && (
        <button
          type="button"
          disabled={disabled || rows.length >= 500}
          onClick={() => onChange([...rows, { id: newId(), key: "", value: emptyValue }])}
          className={`${smallButton} mt-2`}
        >
          Add a key
        </button>
      )}
    </fieldset>
  );
}

type EntryRowProps = {
  row: SecretEntryRow;
  index: number;
  keyFixed: boolean;
  removable: boolean;
  keyError?: string;
  valueError?: string;
  disabled?: boolean;
  onChange: (patch: Partial<SecretEntryRow>) => void;
  onRemove: () => void;
};

function EntryRow({
  row,
  index,
  keyFixed,
  removable,
  keyError,
  valueError,
  disabled,
  onChange,
  onRemove,
}: EntryRowProps) {
  const id = useId();
  const n = index + 1;
  const [generating, setGenerating] = useState(false);
  // Masked while typing, like a password field (a textarea keeps multi-line values such as PEM keys).
  const [revealed, setRevealed] = useState(false);
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Forget the file input's own reference: the bytes live in the row until sealed, then are dropped.
    event.target.value = "";
    if (file)
      onChange({ value: { kind: "file", name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } });
  };
  return (
    <li className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="grid gap-3 sm:grid-cols-[minmax(0,14rem)_1fr]">
        <div>
          <label htmlFor={`${id}-key`} className="block text-xs font-medium">
            Key {n}
          </label>
          <input
            id={`${id}-key`}
            value={row.key}
            onChange={(event) => onChange({ key: event.target.value.trim() })}
            readOnly={keyFixed}
            disabled={disabled}
            placeholder="e.g. DATABASE_PASSWORD"
            aria-invalid={Boolean(keyError)}
            aria-describedby={`${id}-key-error`}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClassName} font-mono read-only:bg-zinc-50 dark:read-only:bg-zinc-900`}
          />
          <p id={`${id}-key-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
            {keyError}
          </p>
        </div>
        <div>
          <label htmlFor={`${id}-value`} className="block text-xs font-medium">
            Value {n}
          </label>
          {row.value.kind === "file" ? (
            <div className="mt-1 flex items-center justify-between rounded-md border border-zinc-300 px-3 py-2 text-sm dark:border-zinc-700">
              <span id={`${id}-value`}>
                File {row.value.name} ({row.value.bytes.length} bytes)
              </span>
              <button
                type="button"
                disabled={disabled}
                onClick={() => onChange({ value: emptyValue })}
                className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400"
              >
                Remove file
              </button>
            </div>
          ) : (
            <textarea
              id={`${id}-value`}
              value={row.value.text}
              onChange={(event) => onChange({ value: { kind: "text", text: event.target.value } })}
              disabled={disabled}
              rows={row.value.text.includes("\n") ? 4 : 1}
              aria-invalid={Boolean(valueError)}
              aria-describedby={`${id}-value-error`}
              autoComplete="off"
              autoCorrect="off"
              autoCapitalize="off"
              spellCheck={false}
              data-1p-ignore
              data-lpignore="true"
              data-masked={!revealed}
              className={`${inputClassName} font-mono ${revealed ? "" : "[-webkit-text-security:disc]"}`}
            />
          )}
          <p id={`${id}-value-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
            {valueError}
          </p>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <label className={`${smallButton} cursor-pointer has-focus-visible:outline-2`}>
              Upload a file
              <input
                type="file"
                aria-label={`File for key ${n}`}
                disabled={disabled}
                onChange={(event) => void onFile(event)}
                className="sr-only"
              />
            </label>
            {row.value.kind === "text" && (
              <button
                type="button"
                disabled={disabled}
                aria-pressed={revealed}
                aria-controls={`${id}-value`}
                onClick={() => setRevealed((shown) => !shown)}
                className={smallButton}
              >
                Show value {n}
              </button>
            )}
            <button
              type="button"
              disabled={disabled}
              aria-expanded={generating}
              onClick={() => setGenerating((open) => !open)}
              className={smallButton}
            >
              Generate…
            </button>
            {removable && (
              <button type="button" disabled={disabled} onClick={onRemove} className={smallButton}>
                Remove key {n}
              </button>
            )}
          </div>
          {generating && (
            <GenerateControls
              n={n}
              onGenerate={(text) => {
                onChange({ value: { kind: "text", text } });
                setGenerating(false);
              }}
            />
          )}
        </div>
      </div>
    </li>
  );
}

function GenerateControls({ n, onGenerate }: { n: number; onGenerate: (text: string) => void }) {
  const id = useId();
  const [length, setLength] = useState("32");
  const [alphabet, setAlphabet] = useState<AlphabetName>("letters-digits");
  const parsed = Number(length);
  const valid = Number.isInteger(parsed) && parsed >= MIN_GENERATED_LENGTH && parsed <= MAX_GENERATED_LENGTH;
  return (
    <div
      role="group"
      aria-label={`Generate a value for key ${n}`}
      className="mt-2 flex flex-wrap items-end gap-3 rounded-md bg-zinc-50 p-2 text-xs dark:bg-zinc-950"
    >
      <div>
        <label htmlFor={`${id}-length`} className="block font-medium">
          Length
        </label>
        <input
          id={`${id}-length`}
          type="number"
          min={MIN_GENERATED_LENGTH}
          max={MAX_GENERATED_LENGTH}
          value={length}
          onChange={(event) => setLength(event.target.value)}
          aria-invalid={!valid}
          className="mt-1 w-24 rounded border border-zinc-300 bg-white px-2 py-1 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
        />
      </div>
      <div>
        <label htmlFor={`${id}-alphabet`} className="block font-medium">
          Characters
        </label>
        <select
          id={`${id}-alphabet`}
          value={alphabet}
          onChange={(event) => setAlphabet(event.target.value as AlphabetName)}
          className="mt-1 rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
        >
          {Object.entries(alphabets).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        disabled={!valid}
        onClick={() => onGenerate(generateRandomValue(parsed, alphabet))}
        className="rounded bg-zinc-800 px-2 py-1 font-medium text-white disabled:opacity-50 dark:bg-zinc-200 dark:text-zinc-900"
      >
        Generate value {n}
      </button>
      <p className="text-zinc-600 dark:text-zinc-400">
        {valid
          ? `${entropyBits(parsed, alphabet)} bits of randomness, from crypto.getRandomValues in this browser.`
          : `Choose ${MIN_GENERATED_LENGTH}–${MAX_GENERATED_LENGTH} characters.`}
      </p>
    </div>
  );
}
