import Link from "next/link";
import type { ReactNode } from "react";
import { rotateHref } from "@/lib/validations/seal-form";

const cell = "px-2 py-1.5 text-left align-top";

export type ReSealTableRow = {
  key: string;
  namespace: string;
  name: string;
  owner: string | null;
  keys: string[];
  /** The fourth column: what the secret breaks (incident) or where its re-seal stands (campaign). */
  detail: ReactNode;
  /** Set as the detail cell's data-state. */
  state?: string;
  /** Whether the row offers "Re-seal" (a secret still to seal in an open incident or campaign). */
  reSeal: boolean;
};

type ReSealTableProps = {
  cluster: string;
  detailHeading: string;
  rows: ReSealTableRow[];
  /** The re-seal campaign the rows belong to: its pull requests are offered in the form. */
  campaign?: string;
};

/** The SealedSecrets to seal again on one cluster, each linking to the seal form filled for it. */
export function ReSealTable({ cluster, detailHeading, rows, campaign }: ReSealTableProps) {
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="text-xs text-zinc-600 dark:text-zinc-400">
          <tr>
            <th className={cell}>SealedSecret</th>
            <th className={cell}>Owner</th>
            <th className={cell}>Keys</th>
            <th className={cell}>{detailHeading}</th>
            <th className={cell}>
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-t border-zinc-200 dark:border-zinc-800">
              <td className={cell}>
                {row.namespace}/{row.name}
              </td>
              <td className={cell}>{row.owner ?? "unknown"}</td>
              <td className={cell}>{row.keys.join(", ")}</td>
              <td className={cell} data-state={row.state}>
                {row.detail}
              </td>
              <td className={cell}>
                {row.reSeal && (
                  <Link
                    className="font-medium underline"
                    href={rotateHref({
                      clusters: [cluster],
                      namespace: row.namespace,
                      name: row.name,
                      keys: row.keys,
                      ...(campaign ? { campaign } : {}),
                    })}
                    aria-label={`Re-seal ${row.namespace}/${row.name}`}
                  >
                    Re-seal
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
