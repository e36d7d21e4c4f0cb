import "server-only";
import { ApiError } from "./api-error";

type Requirement =
  | { op: "exists" | "notexists"; key: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "=" | "!="; key: string; value: string };

/** Splits on commas that are not inside a `(...)` value set. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function parseRequirement(text: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(text);
  if (set)
    return { op: set[2] as "in" | "notin", key: set[1]!, values: set[3]!.split(",").map((v) => v.trim()) };
  const compare = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (compare) return { op: compare[2] === "!=" ? "!=" : "=", key: compare[1]!, value: compare[3]! };
  if (/^!\S+$/.test(text)) return { op: "notexists", key: text.slice(1) };
  if (/^[A-Za-z0-9._/-]+$/.test(text)) return { op: "exists", key: text };
  throw new ApiError("BadRequest", `unable to parse requirement: ${JSON.stringify(text)}`);
}

/** Compiles a label selector string (`a=b,c!=d,e in (f,g),!h`) into a predicate; 400 when malformed. */
export function compileLabelSelector(
  selector: string | null | undefined,
): (labels: Record<string, string> | undefined) => boolean {
  if (!selector) return () => true;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return (labels = {}) =>
    requirements.every((req) => {
      const value = labels[req.key];
      switch (req.op) {
        case "exists":
          return value !== undefined;
        case "notexists":
          return value === undefined;
        case "in":
          return value !== undefined && req.values.includes(value);
        case "notin":
          return value === undefined || !req.values.includes(value);
        case "=":
          return value === req.value;
        case "!=":
          return value !== req.value;
      }
    });
}
