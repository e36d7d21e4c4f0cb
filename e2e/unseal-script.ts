// Child process of unseal-in-node.ts: reads [{ciphertext, label}] on stdin, prints the plaintexts (UTF-8).
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { unsealWithKeys } from "../sandbox/sealed-secrets/hybrid-decrypt";

const key = createPrivateKey(
  readFileSync(new URL("../lib/sealing/testdata/interop/tls.key", import.meta.url), "utf8"),
);
const items = JSON.parse(readFileSync(0, "utf8")) as { ciphertext: string; label: string }[];
process.stdout.write(
  JSON.stringify(items.map((item) => unsealWithKeys([key], item.ciphertext, item.label).toString("utf8"))),
);
