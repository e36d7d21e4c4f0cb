const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Two output characters per 12 input bits, pre-packed in platform byte order so the main loop writes
// one 32-bit word (four characters) per three input bytes.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PAIRS = new Uint32Array(4096);
for (let i = 0; i < 4096; i++) {
  const first = ALPHABET.charCodeAt(i >> 6);
  const second = ALPHABET.charCodeAt(i & 63);
  PAIRS[i] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
}
const PAD = "=";
// The output is ASCII, for which UTF-8 decoding has a fast path in every engine.
const ascii = new TextDecoder();

type WithToBase64 = Uint8Array & { toBase64(): string };

/**
 * Standard base64 with padding (RFC 4648 §4), as Go's `base64.StdEncoding` writes it for
 * `encryptedData` values.
 *
 * Uses the native `Uint8Array.prototype.toBase64` where the engine has it. Otherwise it avoids the two
 * usual slow paths — `btoa` over a binary string and `+=` concatenation, quadratic in some engines for
 * 1 MiB values — by writing ASCII into one preallocated buffer and decoding it once.
 */
export function encodeBase64(bytes: Uint8Array): string {
  if (typeof (bytes as Partial<WithToBase64>).toBase64 === "function")
    return (bytes as WithToBase64).toBase64();
  const length = bytes.length;
  const groups = Math.floor(length / 3);
  const words = new Uint32Array(groups);
  for (let g = 0, i = 0; g < groups; g++, i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    words[g] = PAIRS[n >>> 12]! | (PAIRS[n & 4095]! << 16);
  }
  const body = ascii.decode(words);
  const rest = length - groups * 3;
  if (rest === 0) return body;
  const n = (bytes[groups * 3]! << 16) | (rest === 2 ? bytes[groups * 3 + 1]! << 8 : 0);
  const tail =
    ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + (rest === 2 ? ALPHABET[(n >>> 6) & 63]! : PAD);
  return `${body}${tail}${PAD}`;
}
