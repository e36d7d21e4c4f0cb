"use client";

import { useId } from "react";
import type { LocateProposalFilesResult } from "@/lib/validations/proposal";

export type MissingManifestHandling = "adopt" | "reseal";

type MissingManifestChoiceProps = {
  name: string;
  /** The clusters whose file does not hold the SealedSecret, with where it would be written. */
  missing: LocateProposalFilesResult["files"];
  /** Every key of the SealedSecret, for "reseal all keys". */
  allKeys: readonly string[];
  rotatedKeys: readonly string[];
  value: MissingManifestHandling | null;
  onChange: (value: MissingManifestHandling) => void;
  disabled?: boolean;
};

/**
 * A rotation of a SealedSecret Git does not hold cannot be merged into a file. Instead of failing at the
 * last step, the form says so up front and offers what helps: adopt the cluster's SealedSecret into Git
 * in the same pull request, or seal every key afresh.
 */
export function MissingManifestChoice({
  name,
  missing,
  allKeys,
  rotatedKeys,
  value,
  onChange,
  disabled,
}: MissingManifestChoiceProps) {
  const id = useId();
  const where = missing.map((f) => f.cluster).join(", ");
  const others = allKeys.filter((k) => !rotatedKeys.includes(k));
  return (
    <fieldset
      aria-describedby={`${id}-help`}
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <legend className="px-1 font-medium">No manifest of {name} in Git</legend>
      <p id={`${id}-help`}>
        Git holds no SealedSecret {name} for {where}: it exists only in the cluster, so there is no file to
        merge a new value into. Choose how to bring it into Git before entering values.
      </p>
      <ul className="mt-1 text-xs">
        {missing.map((f) => (
          <li key={f.cluster}>
            {f.cluster}: would be written to <code className="break-all">{f.path}</code>
          </li>
        ))}
      </ul>
      <div className="mt-2 space-y-2">
        <label className="flex items-start gap-2">
          <input
            type="radio"
            name={`${id}-handling`}
            value="adopt"
            checked={value === "adopt"}
            onChange={() => onChange("adopt")}
            disabled={disabled}
            className="mt-1"
          />
          <span>
            <span className="font-medium">Adopt it</span> (recommended): the pull request also writes the
            cluster&apos;s current SealedSecret (its metadata and ciphertext only, never the Secret) into Git,
            with the new value of {rotatedKeys.join(", ")}
            {others.length > 0 ? `; ${others.join(", ")} keep their sealed values` : ""}.
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input
            type="radio"
            name={`${id}-handling`}
            value="reseal"
            checked={value === "reseal"}
            onChange={() => onChange("reseal")}
            disabled={disabled}
            className="mt-1"
          />
          <span>
            <span className="font-medium">Reseal all keys</span>: enter a new value for every key (
            {allKeys.join(", ")}); a new manifest is written with the same scope and type. Labels and
            annotations of the cluster&apos;s copy are not carried over.
          </span>
        </label>
      </div>
    </fieldset>
  );
}
