import { parse } from "yaml";
import { groupMappingSchema, type GroupMapping } from "./map-groups-to-access";

// A group mapping file, as `sealdeck settings set auth.group-mapping FILE` and SEALDECK_AUTH_GROUP_MAPPING
// read it: YAML or JSON (JSON is YAML), a list of {group, role?, grants?: [{cluster, namespace}]}.

export type ParsedGroupMapping = { ok: true; mapping: GroupMapping } | { ok: false; problem: string };

/** The mapping in a file's text, or one line saying what is wrong and where (never the whole file). */
export function parseGroupMappingFile(text: string): ParsedGroupMapping {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const where = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return { ok: false, problem: `not valid YAML or JSON${where ? ` (line ${where})` : ""}` };
  }
  const parsed = groupMappingSchema.safeParse(value ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path
      .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
      .join("");
    return {
      ok: false,
      problem: `${path ? `${path.replace(/^\./, "")}: ` : ""}${issue?.message ?? "invalid"}`,
    };
  }
  const seen = new Set<string>();
  for (const entry of parsed.data) {
    if (seen.has(entry.group)) return { ok: false, problem: `group "${entry.group}" appears more than once` };
    seen.add(entry.group);
  }
  return { ok: true, mapping: parsed.data };
}
