import "server-only";
import type { StartedAuditExport } from "../stream-audit-export";
import {
  BUNDLE_PUBLIC_KEY_NAME,
  BUNDLE_README_NAME,
  bundleFileName,
  bundleReadme,
  MANIFEST_SUFFIX,
} from "./audit-bundle-layout";
import { streamZip, type ZipEntry } from "./stream-zip";

export type AuditBundleKey = { publicKeyPem: string; keyId: string };

/**
 * An export as one ZIP download: the file streams in first; its manifest, the public key and the
 * README follow once the file has ended. A failed export fails the download rather than ship a
 * bundle without its manifest.
 */
export function streamAuditBundle(
  started: StartedAuditExport,
  key: AuditBundleKey,
  modified: Date,
): { fileName: string; stream: ReadableStream<Uint8Array> } {
  async function* entries(): AsyncGenerator<ZipEntry> {
    // Node's web ReadableStream is async-iterable; the DOM typings do not say so.
    yield { name: started.fileName, data: started.stream as unknown as AsyncIterable<Uint8Array> };
    const manifest = await started.done;
    if (!manifest) throw new Error("the export did not finish, so the bundle is incomplete");
    yield {
      name: `${started.fileName}${MANIFEST_SUFFIX}`,
      data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    };
    yield { name: BUNDLE_PUBLIC_KEY_NAME, data: Buffer.from(key.publicKeyPem) };
    yield { name: BUNDLE_README_NAME, data: Buffer.from(bundleReadme(started.fileName, key.keyId)) };
  }
  const bytes = streamZip(entries(), modified);
  // Pull-based: the archive asks for the export's next chunk only when the download wants more, and a
  // cancelled download returns the generators, which cancels the export's stream.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await bytes.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel(reason) {
      await bytes.return(undefined).catch(() => {});
      await started.stream.cancel(reason).catch(() => {});
    },
  });
  return { fileName: bundleFileName(started.fileName), stream };
}
