type FormAlertProps = { message: string | null };

/** A form's failure, announced as an alert above its submit button; nothing while there is none. */
export function FormAlert({ message }: FormAlertProps) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-300"
    >
      {message}
    </p>
  );
}
