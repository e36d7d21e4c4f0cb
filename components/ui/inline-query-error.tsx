type InlineQueryErrorProps = {
  /** The sentence before the error's own message, e.g. "The history could not be loaded:". */
  message: string;
  error: unknown;
  onRetry: () => void;
  /** Draw a focus-visible ring on the retry link (the Kubernetes access card has one; keep each as it was). */
  focusRing?: boolean;
};

/** A card's list that could not load: one red line with the reason and a "Try again" link-style button. */
export function InlineQueryError({ message, error, onRetry, focusRing = false }: InlineQueryErrorProps) {
  return (
    <div role="alert" className="text-sm text-red-800 dark:text-red-300">
      <p>
        {message} {error instanceof Error ? error.message : "unexpected error"}
      </p>
      <button
        type="button"
        className={
          focusRing
            ? "mt-2 rounded font-medium underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
            : "mt-2 font-medium underline"
        }
        onClick={onRetry}
      >
        Try again
      </button>
    </div>
  );
}
