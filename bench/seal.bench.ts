// Sealing in Node: lib/sealing (WebCrypto) against node:crypto's native RSA-OAEP + AES-GCM doing the
// same work, in the same run. The browser half reuses bench/seal-workload.ts from a page.
import {
  constants,
  createCipheriv,
  createPublicKey,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { readFile } from "node:fs/promises";

import { loadSealingKey } from "../lib/sealing";
import type { BenchReport, BenchRow } from "./report";
import { timeSealingInChromium } from "./seal-in-browser";
import { makeSealWorkload, medianMs, timeLibSealing } from "./seal-workload";

const RUNS = 9;
const TARGET_RATIO = 3;
const ZERO_NONCE = Buffer.alloc(12);

/** The same HybridEncrypt format with node:crypto, synchronously, base64 via Buffer. */
function nativeSeal(publicKey: KeyObject, plaintext: Uint8Array, label: Buffer): string {
  const sessionKey = randomBytes(32);
  const rsa = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label },
    sessionKey,
  );
  const cipher = createCipheriv("aes-256-gcm", sessionKey, ZERO_NONCE);
  const length = Buffer.from([rsa.length >>> 8, rsa.length & 0xff]);
  const aes = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([length, rsa, aes]).toString("base64");
}

export default async function run(): Promise<BenchReport> {
  const pem = await readFile(new URL("../lib/sealing/testdata/interop/tls.crt", import.meta.url), "utf8");
  const key = await loadSealingKey(pem);
  const nativeKey = createPublicKey(pem);
  const workload = makeSealWorkload();
  const label = Buffer.from("bench/bench");

  const lib = await timeLibSealing(key, workload, RUNS);
  const nativeHundred = await medianMs(RUNS, () => {
    const out: Record<string, string> = {};
    for (const { key: name, value } of workload.secret.entries)
      out[name] = nativeSeal(nativeKey, value as Uint8Array, label);
    return out;
  });
  const nativeLarge = await medianMs(RUNS, () => nativeSeal(nativeKey, workload.large, label));
  const browser = await timeSealingInChromium(pem, RUNS);

  const row = (name: string, value: number, reference: number, note: string): BenchRow => ({
    name,
    value,
    unit: "ms",
    reference: { name: "node:crypto native", value: reference },
    ratio: value / reference,
    target: `≤ ${TARGET_RATIO}× native`,
    pass: value / reference <= TARGET_RATIO,
    note,
  });
  const BROWSER_BUDGET_MS = 60;
  const browserHundred = row(
    "seal 100 keys × 1 KiB (Chromium, lib/sealing in a page)",
    browser.hundredKeysMs,
    nativeHundred,
    `median of ${RUNS}; target also < ${BROWSER_BUDGET_MS} ms`,
  );
  browserHundred.target = `< ${BROWSER_BUDGET_MS} ms and ≤ ${TARGET_RATIO}× native`;
  browserHundred.pass =
    browser.hundredKeysMs < BROWSER_BUDGET_MS && browser.hundredKeysMs / nativeHundred <= TARGET_RATIO;
  return {
    title: "Sealing (RSA-4096 interop certificate; native = node:crypto in the same run)",
    rows: [
      row(
        "seal 100 keys × 1 KiB (Node, lib/sealing)",
        lib.hundredKeysMs,
        nativeHundred,
        `median of ${RUNS}; lib includes validation and manifest`,
      ),
      row(
        "seal 1 MiB value (Node, lib/sealing)",
        lib.oneMiBMs,
        nativeLarge,
        `median of ${RUNS}; includes base64`,
      ),
      browserHundred,
      row(
        "seal 1 MiB value (Chromium, lib/sealing in a page)",
        browser.oneMiBMs,
        nativeLarge,
        `median of ${RUNS}`,
      ),
    ],
  };
}
