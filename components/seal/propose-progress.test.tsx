import type { ComponentProps } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ProposeProgress } from "./propose-progress";
import type { FlowState } from "./use-propose-flow";

const noop = () => undefined;

const done: FlowState = {
  step: "done",
  failure: null,
  request: null,
  sealed: null,
  verification: null,
  located: null,
  paths: {},
  preview: { status: "idle" },
  result: {
    pullRequest: { number: 0, url: "/srv/gitops#sealdeck/development/api-keys", state: "open" },
    branch: "sealdeck/development/api-keys",
    created: true,
    files: [{ cluster: "sandbox", path: "sandbox/development/api-keys.sealedsecret.yaml" }],
  },
  joinCampaign: false,
};

const renderDone = (extra: Partial<ComponentProps<typeof ProposeProgress>> = {}) =>
  renderToString(
    <ProposeProgress
      state={done}
      onPathChange={noop}
      onPropose={noop}
      onRetry={noop}
      onRetrySealing={noop}
      canRetrySealing={false}
      onStartOver={noop}
      {...extra}
    />,
  );

describe("ProposeProgress", () => {
  it("once the pull request is ready, leads on to the Changes page where it is followed and merged", () => {
    const html = renderDone();
    expect(html).toMatch(/<a [^>]*href="\/changes\?state=open"[^>]*>Follow it on the Changes page<\/a>/);
    expect(html).toContain("Seal another secret");
  });

  it("after a rotation, leads back to the secret and on to a new one, not into the same rotation again", () => {
    const html = renderDone({
      rotatedSecret: {
        href: "/secrets/sandbox/development/SealedSecret/api-keys",
        name: "development/api-keys",
      },
    });
    expect(html).toMatch(
      /<a [^>]*href="\/secrets\/sandbox\/development\/SealedSecret\/api-keys"[^>]*>Back to <!-- -->development\/api-keys<\/a>/,
    );
    expect(html).toMatch(/<a [^>]*href="\/seal"[^>]*>Seal a new secret<\/a>/);
    expect(html).not.toContain("Seal another secret");
  });
});
