"use client";

import { useEffect } from "react";

type RouteErrorProps = { error: Error & { digest?: string }; reset: () => void };

// Every data route's error.tsx. Next hides server error messages in production (only a digest reaches
// the browser); show that digest so a user can quote it and an operator can find it in the server log.
export function RouteError({ error, reset }: RouteErrorProps) {
  useEffect(() => {
    document.getElementById("main")?.focus();
  }, []);
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-5 dark:border-red-900 dark:bg-red-950/40"
    >
      <h1 className="text-lg font-semibold text-red-900 dark:text-red-200">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-red-800 dark:text-red-300">
        {error.digest ? `Something went wrong on the server (reference ${error.digest}).` : error.message}
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
