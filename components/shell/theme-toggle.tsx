"use client";

import { useTheme } from "next-themes";
import { useMounted } from "./use-mounted";

const options = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
] as const;

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The stored choice is only known in the browser; render a neutral state until then (no hydration mismatch).
  const mounted = useMounted();
  const current = mounted ? (theme ?? "system") : undefined;
  return (
    <div
      role="group"
      aria-label="Color theme"
      className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700"
    >
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={current === option.value}
          onClick={() => setTheme(option.value)}
          className="rounded px-2 py-1 text-xs font-medium text-zinc-600 hover:text-zinc-900 aria-pressed:bg-zinc-900 aria-pressed:text-white dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
