const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard, padded base64 as Go's `base64.StdEncoding` (used by Kubernetes for a Secret's
 * `data`) accepts it: padding required, line breaks ignored, stray bits after the last byte tolerated.
 * Returns `null` instead of throwing so the caller can say which field was malformed without echoing it.
 */
export function decodeBase64(text: string): Uint8Array | null {
  // Go skips CR/LF; YAML block scalars and `base64 -w 76` output wrap long values.
  const s = /\s/.test(text) ? text.replace(/\s+/g, "") : text;
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    const a = lookup(s, i);
    const b = lookup(s, i + 1);
    const c = last && pad === 2 ? 0 : lookup(s, i + 2);
    const d = last && pad >= 1 ? 0 : lookup(s, i + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function lookup(s: string, index: number): number {
  const code = s.charCodeAt(index);
  return code < 128 ? DECODE[code]! : -1;
}
