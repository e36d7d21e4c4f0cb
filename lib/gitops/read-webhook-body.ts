import "server-only";

/** Thrown when a body passes its limit; the rest of it is never read. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/**
 * Reads a request body while it streams, cancelling it as soon as it passes `maxBytes` (a chunked body
 * declares no length up front, and a declared one may lie). Returns the bytes exactly as sent: webhook
 * signatures are computed over them.
 */
export async function readWebhookBody(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(`the body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
