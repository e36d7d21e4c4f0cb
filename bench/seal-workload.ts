// The sealing benchmark's workload and its lib/sealing half, isomorphic so the browser half of the
// benchmark (a page in Chromium) can import exactly what the Node half runs.
import { buildSealedSecret, sealValue, type SealingKey, type SecretInput } from "../lib/sealing";

export const SEAL_BENCH_KEYS = 100;
export const SEAL_BENCH_VALUE_BYTES = 1024;
export const SEAL_BENCH_LARGE_BYTES = 1024 * 1024;

/** The two cases: a 100-key Secret of 1 KiB random values, and one 1 MiB random value. */
export function makeSealWorkload(): { secret: SecretInput; large: Uint8Array } {
  const random = (length: number) => {
    const bytes = new Uint8Array(length);
    // getRandomValues fills at most 64 KiB per call.
    for (let offset = 0; offset < length; offset += 65536) {
      globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)));
    }
    return bytes;
  };
  const entries = Array.from({ length: SEAL_BENCH_KEYS }, (_, i) => ({
    key: `KEY_${String(i).padStart(3, "0")}`,
    value: random(SEAL_BENCH_VALUE_BYTES),
  }));
  return { secret: { name: "bench", namespace: "bench", entries }, large: random(SEAL_BENCH_LARGE_BYTES) };
}

/** Median wall time in ms of `runs` calls after one warm-up call. */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  return times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
}

/**
 * Times lib/sealing on the workload: the full `buildSealedSecret` for the 100-key Secret (validation,
 * encryption, base64, manifest) and `sealValue` for the 1 MiB value. Reusable as is in the browser.
 */
export async function timeLibSealing(
  key: SealingKey,
  workload: ReturnType<typeof makeSealWorkload>,
  runs: number,
): Promise<{ hundredKeysMs: number; oneMiBMs: number }> {
  const hundredKeysMs = await medianMs(runs, () => buildSealedSecret(workload.secret, key));
  const oneMiBMs = await medianMs(runs, () =>
    sealValue(key.publicKey, workload.large, { scope: "strict", namespace: "bench", name: "bench" }),
  );
  return { hundredKeysMs, oneMiBMs };
}
