import "server-only";
import { ApiError } from "./api-error";

/**
 * kubectl's typed commands (`create secret|configmap|namespace|service`, `auth can-i`) send bodies in
 * the Kubernetes protobuf envelope and do not fall back to JSON on 415. This reads those few types into
 * their JSON shape; field numbers are the ones in k8s.io/api's generated.proto files.
 */
type FieldType =
  | "string"
  | "bytes"
  | "int"
  | "bool"
  | "time"
  | "stringMap"
  | "bytesMap"
  | "strings"
  | Schema
  | { repeated: Schema };
type Schema = { [field: number]: [string, FieldType] };

const ownerReference: Schema = {
  1: ["kind", "string"],
  3: ["name", "string"],
  4: ["uid", "string"],
  5: ["apiVersion", "string"],
  6: ["controller", "bool"],
  7: ["blockOwnerDeletion", "bool"],
};
const objectMeta: Schema = {
  1: ["name", "string"],
  2: ["generateName", "string"],
  3: ["namespace", "string"],
  5: ["uid", "string"],
  6: ["resourceVersion", "string"],
  7: ["generation", "int"],
  11: ["labels", "stringMap"],
  12: ["annotations", "stringMap"],
  13: ["ownerReferences", { repeated: ownerReference }],
  14: ["finalizers", "strings"],
};
const typeMeta: Schema = { 1: ["apiVersion", "string"], 2: ["kind", "string"] };
const intOrString: Schema = { 1: ["type", "int"], 2: ["intVal", "int"], 3: ["strVal", "string"] };
const servicePort: Schema = {
  1: ["name", "string"],
  2: ["protocol", "string"],
  3: ["port", "int"],
  4: ["targetPort", intOrString],
  5: ["nodePort", "int"],
};

const schemas: Record<string, Schema> = {
  Secret: {
    1: ["metadata", objectMeta],
    2: ["data", "bytesMap"],
    3: ["type", "string"],
    4: ["stringData", "stringMap"],
    5: ["immutable", "bool"],
  },
  ConfigMap: {
    1: ["metadata", objectMeta],
    2: ["data", "stringMap"],
    3: ["binaryData", "bytesMap"],
    4: ["immutable", "bool"],
  },
  Namespace: { 1: ["metadata", objectMeta], 2: ["spec", { 1: ["finalizers", "strings"] }] },
  Service: {
    1: ["metadata", objectMeta],
    2: [
      "spec",
      {
        1: ["ports", { repeated: servicePort }],
        2: ["selector", "stringMap"],
        3: ["clusterIP", "string"],
        4: ["type", "string"],
      },
    ],
  },
  SelfSubjectAccessReview: {
    1: ["metadata", objectMeta],
    2: [
      "spec",
      {
        1: [
          "resourceAttributes",
          {
            1: ["namespace", "string"],
            2: ["verb", "string"],
            3: ["group", "string"],
            4: ["version", "string"],
            5: ["resource", "string"],
            6: ["subresource", "string"],
            7: ["name", "string"],
          },
        ],
        2: ["nonResourceAttributes", { 1: ["path", "string"], 2: ["verb", "string"] }],
      },
    ],
  },
  SelfSubjectRulesReview: { 1: ["metadata", objectMeta], 2: ["spec", { 1: ["namespace", "string"] }] },
};

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  done() {
    return this.offset >= this.bytes.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes[this.offset++];
      if (byte === undefined) throw new Error("truncated varint");
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }
  chunk(): Uint8Array {
    const length = this.varint();
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  skip(wireType: number) {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.chunk();
    else if (wireType === 1) this.offset += 8;
    else if (wireType === 5) this.offset += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

function readMapEntry(bytes: Uint8Array, valueAsBytes: boolean): [string, string] {
  const reader = new Reader(bytes);
  let key = "";
  let value = "";
  while (!reader.done()) {
    const tag = reader.varint();
    const payload = reader.chunk();
    if (tag >> 3 === 1) key = text(payload);
    else if (tag >> 3 === 2) value = valueAsBytes ? Buffer.from(payload).toString("base64") : text(payload);
  }
  return [key, value];
}

function decodeMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const reader = new Reader(bytes);
  const out: Record<string, unknown> = {};
  while (!reader.done()) {
    const tag = reader.varint();
    const field = schema[tag >> 3];
    if (!field) {
      reader.skip(tag & 7);
      continue;
    }
    const [name, type] = field;
    if (type === "int" || type === "bool") {
      const value = reader.varint();
      out[name] = type === "bool" ? value !== 0 : value;
    } else if (type === "string") {
      // gogo-protobuf writes empty strings; JSON omits them.
      const value = text(reader.chunk());
      if (value !== "") out[name] = value;
    } else if (type === "bytes") out[name] = Buffer.from(reader.chunk()).toString("base64");
    else if (type === "strings")
      out[name] = [...((out[name] as string[] | undefined) ?? []), text(reader.chunk())];
    else if (type === "stringMap" || type === "bytesMap") {
      const [key, value] = readMapEntry(reader.chunk(), type === "bytesMap");
      out[name] = { ...((out[name] as Record<string, string> | undefined) ?? {}), [key]: value };
    } else if (type === "time") reader.chunk();
    else if ("repeated" in type)
      out[name] = [
        ...((out[name] as unknown[] | undefined) ?? []),
        decodeMessage(reader.chunk(), type.repeated as Schema),
      ];
    else out[name] = decodeMessage(reader.chunk(), type);
  }
  return out;
}

/** Decodes a `k8s\0`-prefixed runtime.Unknown envelope holding one of the supported kinds. */
export function decodeProtobuf(raw: Buffer): Record<string, unknown> {
  if (raw.length < 4 || raw.subarray(0, 4).toString("latin1") !== "k8s\u0000") {
    throw new ApiError("BadRequest", "the protobuf body does not start with the Kubernetes magic number");
  }
  const envelope = decodeMessage(raw.subarray(4), { 1: ["typeMeta", typeMeta], 2: ["raw", "bytes"] });
  const meta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = schemas[meta.kind ?? ""];
  if (!schema) {
    throw new ApiError(
      "UnsupportedMediaType",
      `the sandbox reads protobuf only for ${Object.keys(schemas).join(", ")}; send ${meta.kind ?? "this kind"} as JSON (kubectl apply -f)`,
    );
  }
  const body = decodeMessage(Buffer.from(String(envelope.raw ?? ""), "base64"), schema);
  // IntOrString arrives as a message; JSON has it as a bare number or string.
  const spec = body.spec as { ports?: { targetPort?: unknown }[] } | undefined;
  for (const port of spec?.ports ?? []) {
    const target = port.targetPort as
      { type?: number; intVal?: number; strVal?: string } | number | string | undefined;
    if (typeof target === "object")
      (port as Record<string, unknown>).targetPort = target.type === 1 ? target.strVal : (target.intVal ?? 0);
  }
  return { apiVersion: meta.apiVersion, kind: meta.kind, ...body };
}
