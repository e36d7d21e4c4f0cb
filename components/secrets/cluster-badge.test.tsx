import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ClusterBadge } from "./cluster-badge";

describe("ClusterBadge", () => {
  it("says since when an unreachable cluster shows its last known state, in the one date format", () => {
    const html = renderToString(
      <ClusterBadge name="prod-eu" sandbox={false} state="stale" since="2026-12-06T07:59:01.000Z" />,
    ).replaceAll("<!-- -->", "");
    expect(html).toContain("unreachable since 2026-12-06 07:59:01 UTC: showing last known state");
  });
});
