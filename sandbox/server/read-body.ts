import "server-only";
import type { IncomingMessage } from "node:http";
import { parse } from "yaml";
import { ApiError } from "./api-error";
import { decodeProtobuf } from "./decode-protobuf";

const maxBodyBytes = 8 * 1024 * 1024;

export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes) throw new ApiError("BadRequest", "request entity too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON (or, for server-side apply, YAML) request body; malformed input is a 400. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if ((contentType ?? "").startsWith("application/vnd.kubernetes.protobuf")) return decodeProtobuf(raw);
  const text = raw.toString("utf8");
  if (text.trim() === "") throw new ApiError("BadRequest", "the request body is empty");
  try {
    return /yaml/.test(contentType ?? "") ? parse(text) : JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      "BadRequest",
      `the body of the request could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
