/** Lowercase hex of `bytes`, the form used for fingerprints and the `sealdeck.io/sealed-with` annotation. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const byte of view) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** SHA-256 of `bytes` as lowercase hex, through WebCrypto so it runs in the browser and in Node. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await globalThis.crypto.subtle.digest("SHA-256", bytes));
}
