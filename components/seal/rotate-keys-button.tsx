"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useSecretList } from "@/lib/queries/use-secret-list";
import { rotateHref } from "@/lib/validations/seal-form";
import { KeyPicker } from "./key-picker";

type RotateKeysButtonProps = { cluster: string; namespace: string; name: string; keys: readonly string[] };

const buttonClass =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** "Rotate": pick the keys to replace, then open the seal form for those keys only. */
export function RotateKeysButton({ cluster, namespace, name, keys }: RotateKeysButtonProps) {
  const id = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [alsoOn, setAlsoOn] = useState<string[]>([]);
  if (keys.length === 0) return null;
  const go = () =>
    router.push(
      rotateHref({
        clusters: [cluster, ...alsoOn],
        namespace,
        name,
        keys: chosen,
      }),
    );
  return (
    <div className="mt-3">
      <button
        type="button"
        className={buttonClass}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        Rotate keys…
      </button>
      {open && (
        <fieldset
          id={`${id}-panel`}
          className="mt-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
        >
          <legend className="px-1 font-medium">Keys to rotate</legend>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            You will enter new values for these keys only; the others stay as they are in Git.
          </p>
          <KeyPicker keys={keys} value={chosen} onChange={setChosen} />
          <AlsoRotateOn
            cluster={cluster}
            namespace={namespace}
            name={name}
            value={alsoOn}
            onChange={setAlsoOn}
          />
          <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1">
            <button
              type="button"
              className={buttonClass}
              disabled={chosen.length === 0}
              aria-describedby={chosen.length === 0 ? `${id}-why` : undefined}
              onClick={go}
            >
              Rotate{" "}
              {chosen.length === 0
                ? "selected keys"
                : chosen.length === 1
                  ? chosen[0]
                  : `${chosen.length} keys`}
            </button>
            {/* A disabled button says nothing by itself: say what it waits for. */}
            {chosen.length === 0 && (
              <span id={`${id}-why`} className="text-xs text-zinc-600 dark:text-zinc-400">
                Tick at least one key above.
              </span>
            )}
          </div>
        </fieldset>
      )}
    </div>
  );
}

type AlsoRotateOnProps = {
  cluster: string;
  namespace: string;
  name: string;
  value: string[];
  onChange: (clusters: string[]) => void;
};

/** The same SealedSecret on other clusters (staging and production, say), to rotate in the same proposal. */
function AlsoRotateOn({ cluster, namespace, name, value, onChange }: AlsoRotateOnProps) {
  const list = useSecretList({ kind: "SealedSecret", namespace, text: name, sort: "cluster", order: "asc" });
  const others = [
    ...new Set(
      (list.data?.pages ?? [])
        .flatMap((page) => page.items)
        .filter((r) => r.name === name && r.namespace === namespace && r.cluster !== cluster)
        .map((r) => r.cluster),
    ),
  ];
  if (list.isPending)
    return <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">Looking for it on other clusters…</p>;
  if (list.isError)
    return (
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
        Other clusters could not be checked; this rotation covers {cluster} only.
      </p>
    );
  if (others.length === 0) return null;
  return (
    <fieldset className="mt-3">
      <legend className="text-xs font-medium">Also rotate on</legend>
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {others.map((other) => (
          <li key={other}>
            <label className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={value.includes(other)}
                onChange={(event) =>
                  onChange(event.target.checked ? [...value, other] : value.filter((c) => c !== other))
                }
              />
              {other}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
