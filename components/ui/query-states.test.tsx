import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { FormAlert } from "./form-alert";
import { HydratedSubmitButton } from "./hydrated-submit-button";
import { LoadOlderFooter } from "./load-older-footer";
import { QueryErrorNotice } from "./query-error-notice";

// The shared list and form states, rendered on the server as the first paint would be.

const noop = () => undefined;
const fetchNothing = () => Promise.resolve();

describe("QueryErrorNotice", () => {
  it("names a known status of an AppError, with its message and a retry", () => {
    const html = renderToString(
      <QueryErrorNotice
        title="The inventory could not be loaded"
        statusTitles={{ 403: "You may not view this inventory" }}
        error={new AppError("forbidden", "no grant for namespace payments")}
        onRetry={noop}
      />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain("You may not view this inventory");
    expect(html).not.toContain("could not be loaded");
    expect(html).toContain("no grant for namespace payments");
    expect(html).toContain("Try again");
  });

  it("uses the general title for other failures", () => {
    const html = renderToString(
      <QueryErrorNotice
        title="The audit log could not be loaded"
        statusTitles={{ 422: "These filters are not valid" }}
        error={new Error("socket hang up")}
        onRetry={noop}
      />,
    );
    expect(html).toContain("The audit log could not be loaded");
    expect(html).not.toContain("These filters are not valid");
    expect(html).toContain("socket hang up");
  });
});

describe("LoadOlderFooter", () => {
  const pages = {
    hasNextPage: true,
    isFetchingNextPage: false,
    isFetchNextPageError: false,
    fetchNextPage: fetchNothing,
  };

  it("offers the older page while there is one", () => {
    const html = renderToString(<LoadOlderFooter query={pages} label="Show older events" failed="Failed." />);
    expect(html).toContain("Show older events");
    expect(html).not.toContain('disabled=""');
    expect(html).not.toContain("Failed.");
  });

  it("is disabled while loading, and says when the page failed", () => {
    const html = renderToString(
      <LoadOlderFooter
        query={{ ...pages, isFetchingNextPage: true, isFetchNextPageError: true }}
        label="Show older events"
        failed="Older events could not be loaded."
      />,
    );
    expect(html).toContain('disabled=""');
    expect(html).toContain("Loading…");
    expect(html).toContain("Older events could not be loaded.");
  });

  it("shows nothing on the last page", () => {
    expect(
      renderToString(
        <LoadOlderFooter query={{ ...pages, hasNextPage: false }} label="Older" failed="Failed." />,
      ),
    ).toBe("");
  });
});

describe("password forms", () => {
  it("keep the submit button disabled until React has hydrated", () => {
    const html = renderToString(
      <HydratedSubmitButton label="Sign in" pendingLabel="Signing in…" pending={false} />,
    );
    expect(html).toContain('type="submit"');
    expect(html).toContain('disabled=""');
    expect(html).toContain("Sign in");
  });

  it("announce a failure, and show nothing without one", () => {
    expect(renderToString(<FormAlert message="Sign-in failed. Try again." />)).toContain('role="alert"');
    expect(renderToString(<FormAlert message={null} />)).toBe("");
  });
});
