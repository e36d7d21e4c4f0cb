// Random values for the seal form, made in the browser with crypto.getRandomValues. Characters are
// drawn by rejection sampling, so every character of the alphabet is equally likely (no modulo bias).

export const alphabets = {
  "letters-digits": {
    label: "Letters and digits",
    characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  },
  "letters-digits-symbols": {
    label: "Letters, digits and symbols",
    characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~",
  },
  hex: { label: "Hexadecimal", characters: "0123456789abcdef" },
  base64url: {
    label: "URL-safe base64 characters",
    characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  },
  digits: { label: "Digits", characters: "0123456789" },
} as const;

export type AlphabetName = keyof typeof alphabets;

export const MIN_GENERATED_LENGTH = 8;
export const MAX_GENERATED_LENGTH = 4096;

/** A random string of `length` characters from `alphabet`. */
export function generateRandomValue(
  length: number,
  alphabet: AlphabetName,
  random: (buffer: Uint8Array) => Uint8Array = (buffer) => crypto.getRandomValues(buffer),
): string {
  if (!Number.isInteger(length) || length < MIN_GENERATED_LENGTH || length > MAX_GENERATED_LENGTH)
    throw new RangeError(`length must be ${MIN_GENERATED_LENGTH}–${MAX_GENERATED_LENGTH}`);
  const characters = alphabets[alphabet].characters;
  // The largest multiple of the alphabet's size that fits in a byte: bytes at or above it are redrawn.
  const limit = 256 - (256 % characters.length);
  let result = "";
  while (result.length < length) {
    for (const byte of random(new Uint8Array(Math.max(64, length - result.length)))) {
      if (byte >= limit) continue;
      result += characters[byte % characters.length];
      if (result.length === length) break;
    }
  }
  return result;
}

/** Bits of entropy of a generated value, for the form to say how strong it is. */
export function entropyBits(length: number, alphabet: AlphabetName): number {
  return Math.floor(length * Math.log2(alphabets[alphabet].characters.length));
}
