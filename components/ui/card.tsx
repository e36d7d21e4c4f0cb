import type { ReactNode } from "react";

type CardProps = { title?: string; id?: string; children: ReactNode; className?: string };

export function Card({ title, id, children, className = "" }: CardProps) {
  return (
    <section
      id={id}
      aria-label={title}
      className={`rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      {title && <h2 className="mb-3 text-sm font-semibold text-zinc-700 dark:text-zinc-300">{title}</h2>}
      {children}
    </section>
  );
}
