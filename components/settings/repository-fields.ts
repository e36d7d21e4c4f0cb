import type { z } from "zod";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";

// The repository form is generated from gitopsRepositorySchema itself (zod 4 introspection), so a field
// added to the schema (e.g. a webhook secret's variable) shows up here without touching this file.

export type FieldSpec =
  | { kind: "text" | "number" | "lines"; key: string; required: boolean; placeholder: string }
  /** A literal, e.g. auth `type: "token"` where there is no choice: kept, not shown. */
  | { kind: "fixed"; key: string; value: string }
  | { kind: "object"; key: string; fields: FieldSpec[] }
  | { kind: "choice"; key: string; discriminator: string; options: { value: string; fields: FieldSpec[] }[] };

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  element?: z.ZodType;
  values?: unknown[];
  discriminator?: string;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;
const shapeOf = (schema: z.ZodType) => (schema as unknown as { shape: Record<string, z.ZodType> }).shape;

function literalOf(schema: z.ZodType): string | undefined {
  const def = defOf(schema);
  return def.type === "literal" ? String(def.values?.[0]) : undefined;
}

function describe(key: string, schema: z.ZodType): FieldSpec | null {
  let current = schema;
  let required = true;
  let fallback: unknown;
  for (;;) {
    const def = defOf(current);
    if (def.type === "default" || def.type === "optional" || def.type === "nullable") {
      required = false;
      if (def.type === "default") fallback = def.defaultValue;
      current = def.innerType!;
    } else if (def.type === "pipe") current = def.in!;
    else break;
  }
  const def = defOf(current);
  const placeholder =
    fallback === undefined ? "" : Array.isArray(fallback) ? fallback.join("\n") : String(fallback);
  switch (def.type) {
    case "literal":
      return { kind: "fixed", key, value: String(def.values?.[0]) };
    case "string":
      return { kind: "text", key, required, placeholder };
    case "number":
      return { kind: "number", key, required, placeholder };
    case "array":
      return { kind: "lines", key, required, placeholder };
    case "object":
      return { kind: "object", key, fields: describeObject(current) };
    case "union":
      if (!def.discriminator) return null;
      return {
        kind: "choice",
        key,
        discriminator: def.discriminator,
        options: (def.options ?? []).map((option) => ({
          value: literalOf(shapeOf(option)[def.discriminator!]!) ?? "",
          fields: describeObject(option, def.discriminator),
        })),
      };
    default:
      return { kind: "text", key, required, placeholder };
  }
}

function describeObject(schema: z.ZodType, skip?: string): FieldSpec[] {
  return Object.entries(shapeOf(schema))
    .filter(([key]) => key !== skip)
    .map(([key, value]) => describe(key, value))
    .filter((spec): spec is FieldSpec => spec !== null);
}

const union = gitopsRepositorySchema as unknown as { options: z.ZodType[] };

/** Each provider's fields, in schema order. */
export const providerFields: Record<string, FieldSpec[]> = Object.fromEntries(
  union.options.map((option) => [
    literalOf(shapeOf(option).provider!) ?? "",
    describeObject(option, "provider"),
  ]),
);

const labels: Record<string, string> = {
  id: "Id",
  baseBranch: "Base branch",
  pathTemplates: "Path templates (one a line; {cluster} {namespace} {name} {app})",
  labels: "Pull request labels (one a line)",
  reviewers: "Reviewers (one a line)",
  branchPrefix: "Branch prefix",
  remote: "Remote (URL or local path)",
  baseUrl: "API base URL",
  repository: "Repository (owner/name)",
  auth: "Authentication",
  appId: "GitHub App id",
  installationId: "Installation id",
};

/** A field's label; variables holding credentials say that only their NAME goes here. */
export function fieldLabel(key: string): string {
  if (labels[key]) return labels[key];
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  if (key.endsWith("Env"))
    return `${words.slice(0, -4)} – environment variable NAME`.replace(/^./, (c) => c.toUpperCase());
  return words.replace(/^./, (c) => c.toUpperCase());
}

export const isEnvField = (key: string) => key.endsWith("Env");

/** Draft form values: strings everywhere, arrays as one item a line, nested objects as objects. */
export type Draft = { [key: string]: string | Draft };

export function toDraft(fields: FieldSpec[], value: Record<string, unknown>): Draft {
  const draft: Draft = {};
  for (const field of fields) {
    const v = value[field.key];
    if (field.kind === "fixed") draft[field.key] = field.value;
    else if (field.kind === "object")
      draft[field.key] = toDraft(field.fields, (v ?? {}) as Record<string, unknown>);
    else if (field.kind === "choice") {
      const inner = (v ?? {}) as Record<string, unknown>;
      const chosen = field.options.find((o) => o.value === inner[field.discriminator]) ?? field.options[0]!;
      draft[field.key] = { [field.discriminator]: chosen.value, ...toDraft(chosen.fields, inner) };
    } else if (field.kind === "lines") draft[field.key] = Array.isArray(v) ? v.join("\n") : "";
    else draft[field.key] = v === undefined || v === null ? "" : String(v);
  }
  return draft;
}

/** The value to validate: empty optional fields are left out so the schema's defaults apply. */
export function fromDraft(fields: FieldSpec[], draft: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = draft[field.key];
    if (field.kind === "fixed") out[field.key] = field.value;
    else if (field.kind === "object") out[field.key] = fromDraft(field.fields, (v ?? {}) as Draft);
    else if (field.kind === "choice") {
      const inner = (v ?? {}) as Draft;
      const chosen = field.options.find((o) => o.value === inner[field.discriminator]) ?? field.options[0]!;
      out[field.key] = { [field.discriminator]: chosen.value, ...fromDraft(chosen.fields, inner) };
    } else {
      const text = typeof v === "string" ? v.trim() : "";
      if (text === "" && !(field.kind !== "lines" && field.required)) continue;
      if (field.kind === "lines")
        out[field.key] = text
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean);
      else if (field.kind === "number") out[field.key] = Number(text);
      else out[field.key] = text;
    }
  }
  return out;
}

/** Every environment variable name a repository refers to (fields ending in "Env"), at any depth. */
export function envNamesOf(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
    isEnvField(key) && typeof v === "string" ? [v] : envNamesOf(v),
  );
}
