"use client";

import { useCallback, useSyncExternalStore } from "react";

// The certificate fingerprint each cluster was last sealed with by this browser, kept in localStorage
// so the form can warn when a cluster's certificate changed. Fingerprints are public; values never go here.

const prefix = "sealdeck.seal.last-fingerprint.";
const changeEvent = "sealdeck:last-fingerprint";

export function readLastFingerprint(cluster: string): string | null {
  try {
    return window.localStorage.getItem(prefix + cluster);
  } catch {
    // Storage disabled (private mode, policy): no warning rather than a broken form.
    return null;
  }
}

export function rememberFingerprint(cluster: string, fingerprint: string): void {
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) return;
  try {
    window.localStorage.setItem(prefix + cluster, fingerprint);
    window.dispatchEvent(new Event(changeEvent));
  } catch {
    // See readLastFingerprint.
  }
}

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

/** The fingerprint last sealed with for `cluster` (null on the server and when there is none). */
export function useLastFingerprint(cluster: string): string | null {
  const read = useCallback(() => readLastFingerprint(cluster), [cluster]);
  return useSyncExternalStore(subscribe, read, () => null);
}
