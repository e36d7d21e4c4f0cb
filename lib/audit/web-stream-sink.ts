import "server-only";
import { Writable } from "node:stream";

// A Node Writable that feeds a web ReadableStream (a route handler's Response body) with backpressure:
// a write is acknowledged only while the web stream's queue has room, so a slow client slows the
// producer instead of filling memory. When the client goes away the producer's next write fails
// (through the "drain" it waits for), so an export stops instead of waiting forever.

const QUEUE_BYTES = 1024 * 1024;

export class WebStreamSink extends Writable {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private held: (() => void) | undefined;
  private cancelled: Error | undefined;

  constructor() {
    super({ highWaterMark: 64 * 1024 });
    // Errors reach the producer through write()/drain; a stray "error" must not crash the process.
    this.on("error", () => undefined);
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.release(),
        cancel: () => {
          this.cancelled = new Error("the client closed the download");
          this.release();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: QUEUE_BYTES }),
    );
  }

  /** True once the client went away. */
  get isCancelled(): boolean {
    return this.cancelled !== undefined;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (this.cancelled) {
      // The producer waits for "drain" after a false: fail that wait instead.
      const error = this.cancelled;
      process.nextTick(() => this.emit("error", error));
      return false;
    }
    return super.write(chunk, encoding as BufferEncoding, callback as (error?: Error | null) => void);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    if (this.cancelled) return callback();
    this.controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((this.controller.desiredSize ?? 0) > 0) callback();
    else this.held = () => callback();
  }

  override _final(callback: (error?: Error | null) => void) {
    if (!this.cancelled) this.controller.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    if (error && !this.cancelled) {
      try {
        this.controller.error(error);
      } catch {
        // already closed
      }
    }
    this.release();
    callback(error);
  }

  private release() {
    const held = this.held;
    this.held = undefined;
    held?.();
  }
}
