import "server-only";

// A signal inside this server process that sessions, roles or grants just changed (sign-out, revocation,
// role or grant edits), so long-lived responses such as the live secrets stream re-check their viewer at
// once instead of at their next timer tick. Changes made elsewhere (the `sealdeck user` CLI, another
// replica) are caught by that timer. The target lives on globalThis deliberately: Next bundles this module
// more than once (actions vs routes), and every copy must reach the same listeners.

const key = Symbol.for("sealdeck.access-changes");

function target(): EventTarget {
  const state = globalThis as { [key]?: EventTarget };
  state[key] ??= new EventTarget();
  return state[key];
}

/** Call after the change is committed: listeners re-read the database. */
export function announceAccessChange(): void {
  target().dispatchEvent(new Event("change"));
}

/** Runs `listener` after every announced change; returns the unsubscribe function. */
export function onAccessChange(listener: () => void): () => void {
  const handler = () => listener();
  target().addEventListener("change", handler);
  return () => target().removeEventListener("change", handler);
}
