import "server-only";
import { ApiError } from "./api-error";
import type { KubeObject } from "./kube-object";
import { pick } from "./kube-object";
import type { ResourceKind } from "./resource-kinds";

/** The field labels the real API server accepts per kind; anything else is a 400 there too. */
function supportedFields(kind: ResourceKind): string[] {
  const common = ["metadata.name", "metadata.namespace"];
  if (kind.group !== "") return common;
  switch (kind.kind) {
    case "Secret":
      return [...common, "type"];
    case "Namespace":
      return [...common, "status.phase"];
    case "Event":
      return [
        ...common,
        "involvedObject.kind",
        "involvedObject.name",
        "involvedObject.namespace",
        "involvedObject.uid",
        "reason",
        "type",
        "source",
      ];
    default:
      return common;
  }
}

/** Compiles `metadata.name=x,metadata.namespace!=y` into a predicate. */
export function compileFieldSelector(
  kind: ResourceKind,
  selector: string | null | undefined,
): (object: KubeObject) => boolean {
  if (!selector) return () => true;
  const allowed = supportedFields(kind);
  const terms = selector
    .split(",")
    .filter(Boolean)
    .map((term) => {
      const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
      if (!match)
        throw new ApiError("BadRequest", `invalid selector: '${selector}'; can't understand '${term}'`);
      const [, field, op, value] = match;
      if (!allowed.includes(field!)) {
        throw new ApiError("BadRequest", `field label not supported: ${field}`);
      }
      return { path: field!.split("."), negate: op === "!=", value: value! };
    });
  return (object) =>
    terms.every((term) => {
      const actual = pick(object, ...term.path);
      const text = actual === undefined || actual === null ? "" : String(actual);
      return term.negate ? text !== term.value : text === term.value;
    });
}
