import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { WebStreamSink } from "./web-stream-sink";

// Backpressure from the HTTP response to the export: a reader that does not read stops the writer at
// a bounded number of bytes; reading lets it go on; a reader that leaves makes the waiting writer fail.

const MiB = 1024 * 1024;
const chunk = () => Buffer.alloc(64 * 1024, 0x61);

/** Writes until the sink asks to wait; returns how many bytes it took. */
function fill(sink: WebStreamSink): number {
  let written = 0;
  for (let i = 0; i < 10_000; i++) {
    written += 64 * 1024;
    if (!sink.write(chunk())) return written;
  }
  throw new Error("the sink never asked the writer to wait");
}

describe("WebStreamSink", () => {
  it("holds the writer back while nobody reads, and lets it go on as the reader reads", async () => {
    const sink = new WebStreamSink();
    const reader = sink.stream.getReader();
    const first = fill(sink);
    // The web queue (1 MiB) plus the Writable's own buffer (64 KiB) and the chunk in flight.
    expect(first).toBeLessThanOrEqual(MiB + 3 * 64 * 1024);
    const drained = once(sink, "drain");
    let read = 0;
    while (read < first) {
      const { value } = await reader.read();
      read += value!.byteLength;
    }
    await drained;
    expect(fill(sink)).toBeLessThanOrEqual(MiB + 3 * 64 * 1024);
    sink.end();
    let rest = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value.byteLength;
    }
    expect(read + rest).toBeGreaterThan(first);
  });

  it("fails a writer waiting for room when the reader cancels, and every later write", async () => {
    const sink = new WebStreamSink();
    fill(sink);
    const waiting = once(sink, "drain");
    await sink.stream.cancel();
    // The held write is released (and dropped); the next write must not wait forever.
    await waiting;
    expect(sink.isCancelled).toBe(true);
    expect(sink.write(chunk())).toBe(false);
    await expect(once(sink, "drain")).rejects.toThrow("the client closed the download");
  });

  it("errors the response body when the export fails", async () => {
    const sink = new WebStreamSink();
    const reader = sink.stream.getReader();
    sink.write(Buffer.from("partial"));
    sink.destroy(new Error("database gone"));
    // An errored body drops what was queued: the download fails rather than ending short but "complete".
    await expect(reader.read()).rejects.toThrow("database gone");
  });
});
