import type { YAMLError } from "yaml";

/**
 * Where a YAML error is, as ` at line L, column C (CODE)`. The parser's own message is not used: with
 * pretty errors it quotes the offending source line, which in a Secret manifest may be a password.
 */
export function describeYamlError(text: string, error: YAMLError): string {
  const offset = error.pos[0];
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return ` at line ${line}, column ${column} (${error.code})`;
}
