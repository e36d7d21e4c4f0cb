import type { ReactNode } from "react";

type NoticeProps = { title: string; children?: ReactNode; tone?: "neutral" | "error" };

/**
 * A list page's boxed message in place of its table: empty ("status") or failed ("alert"), a bold title
 * and optional detail. Shared so the Secrets, Audit and Changes pages say these things the same way.
 */
export function Notice({ title, children, tone = "neutral" }: NoticeProps) {
  const colours =
    tone === "error"
      ? "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
      : "border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border p-5 text-sm ${colours}`}>
      <p className="font-medium">{title}</p>
      {children && <div className="mt-1">{children}</div>}
    </div>
  );
}
