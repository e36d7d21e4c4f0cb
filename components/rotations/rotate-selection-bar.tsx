"use client";

import Link from "next/link";
import type { RotationRow } from "@/lib/validations/rotation";
import { keyText } from "./format-rotation";
import { rotateTargetOf } from "./rotate-selection";

const buttonClass =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

type RotateSelectionBarProps = { rows: RotationRow[]; onClear: () => void };

/** The selected keys of one SealedSecret, rotated together: one seal form, one pull request. */
export function RotateSelectionBar({ rows, onClear }: RotateSelectionBarProps) {
  if (rows.length === 0) return null;
  const target = rotateTargetOf(rows);
  return (
    <div
      role="region"
      aria-label="Selected keys"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-sky-300 bg-sky-50 px-3 py-2 text-sm dark:border-sky-800 dark:bg-sky-950/40"
    >
      <span>
        {rows.length} key{rows.length === 1 ? "" : "s"} selected:{" "}
        <span className="font-mono text-xs">{rows.map(keyText).join(", ")}</span>
      </span>
      {target.ok ? (
        <Link href={target.href} className={`${buttonClass} bg-white dark:bg-zinc-900`}>
          Rotate {target.keys.length === 1 ? target.keys[0] : `${target.keys.length} keys`} in one pull
          request
        </Link>
      ) : (
        <span role="status" className="text-red-800 dark:text-red-300">
          {target.problem}
        </span>
      )}
      <button type="button" className={buttonClass} onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
