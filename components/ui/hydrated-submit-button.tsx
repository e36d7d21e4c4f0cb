"use client";

import { useMounted } from "@/components/shell/use-mounted";

type HydratedSubmitButtonProps = {
  label: string;
  /** Shown while the form's request runs, e.g. "Signing in…". */
  pendingLabel: string;
  pending: boolean;
  fullWidth?: boolean;
};

/**
 * The submit button of a form that sends a password (sign-in, change password). Until React has hydrated,
 * a native submit would send the password in a GET query string: the button stays disabled until then
 * (the form also says method="post" as a second guard), and while the request runs.
 */
export function HydratedSubmitButton({
  label,
  pendingLabel,
  pending,
  fullWidth = false,
}: HydratedSubmitButtonProps) {
  const hydrated = useMounted();
  return (
    <button
      type="submit"
      disabled={pending || !hydrated}
      className={`${fullWidth ? "w-full" : ""}rounded-md bg-emerald-700 px-3 py-2 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-60`}
    >
      {pending ? pendingLabel : label}
    </button>
  );
}
