// Child process of seal-propose-support.ts: reads {keys: PEM[], items: [{ciphertext, label}]} on stdin and
// prints each plaintext (UTF-8), or null when no key opens it. A child, because the decryptor is a
// `server-only` module, loadable only under the react-server condition the Playwright runner lacks.
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { unsealWithKeys } from "../sandbox/sealed-secrets/hybrid-decrypt";

const input = JSON.parse(readFileSync(0, "utf8")) as {
  keys: string[];
  items: { ciphertext: string; label: string }[];
};
const keys = input.keys.map((pem) => createPrivateKey(pem));
process.stdout.write(
  JSON.stringify(
    input.items.map((item) => {
      try {
        return unsealWithKeys(keys, item.ciphertext, item.label).toString("utf8");
      } catch {
        return null;
      }
    }),
  ),
);
