/** The parts of a React Query infinite query that the footer reads. */
type OlderPages = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  fetchNextPage: () => Promise<unknown>;
};

type LoadOlderFooterProps = {
  query: OlderPages;
  /** The button, e.g. "Show older events". */
  label: string;
  /** Said when the next page fails, e.g. "Older events could not be loaded.". */
  failed: string;
  /** Draw a focus-visible ring on the button (the Kubernetes access card has one; keep each as it was). */
  focusRing?: boolean;
};

/**
 * Under a newest-first list in a card (a secret's history, Kubernetes access): a button that loads the
 * next, older page while there is one, and a line if that page could not be loaded.
 */
export function LoadOlderFooter({ query, label, failed, focusRing = false }: LoadOlderFooterProps) {
  return (
    <>
      {query.hasNextPage && (
        <button
          type="button"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
          className={
            focusRing
              ? "mt-3 rounded-md border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800"
              : "mt-3 rounded-md border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800"
          }
        >
          {query.isFetchingNextPage ? "Loading…" : label}
        </button>
      )}
      {query.isFetchNextPageError && (
        <p role="alert" className="mt-2 text-sm text-red-800 dark:text-red-300">
          {failed}
        </p>
      )}
    </>
  );
}
