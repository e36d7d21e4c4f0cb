import type { Page, Request } from "@playwright/test";

/** Every request the page sends, with headers and body, to search for plaintext afterwards. */
export function recordRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on("request", (request: Request) => {
    const record = (headers: Record<string, string>) =>
      sent.push(
        [request.method(), request.url(), JSON.stringify(headers), request.postData() ?? ""].join("\n"),
      );
    // allHeaders() waits for the browser's final headers and rejects for a request still in flight when
    // the test ends (an unhandled rejection fails the test): keep the headers the page set instead.
    void request.allHeaders().then(record, () => record(request.headers()));
  });
  return sent;
}
