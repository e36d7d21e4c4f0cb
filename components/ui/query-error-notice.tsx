import { AppError } from "@/lib/errors/app-error";
import { Notice } from "./notice";

type QueryErrorNoticeProps = {
  /** The title for any failure not named in `statusTitles`. */
  title: string;
  /** Titles for particular HTTP statuses of an AppError, e.g. { 403: "You may not view this inventory" }. */
  statusTitles?: Partial<Record<number, string>>;
  error: unknown;
  onRetry: () => void;
};

/** A list that could not load: the error's message and a solid "Try again" that refetches (Secrets, Audit). */
export function QueryErrorNotice({ title, statusTitles, error, onRetry }: QueryErrorNoticeProps) {
  const specific = error instanceof AppError ? statusTitles?.[error.status] : undefined;
  return (
    <Notice tone="error" title={specific ?? title}>
      <p>{error instanceof Error ? error.message : "Unexpected error"}</p>
      <button
        type="button"
        onClick={onRetry}
        className="mt-3 rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </Notice>
  );
}
