"use client";

import dynamic from "next/dynamic";
import { Card } from "@/components/ui/card";
import { LoadingRows } from "@/components/ui/loading-rows";

// Below the fold and heavy (the audit timeline's code): their own chunks, each behind its own Suspense
// boundary (next/dynamic adds one only with `loading`). Without it, a chunk not yet loaded suspends up
// to the route's loading.tsx, and the record waits for code it does not need: after a click the
// browser fetched these chunks only once the page's payload named them, then showed everything at once.

export const SecretHistory = dynamic(
  () => import("@/components/audit/secret-history").then((m) => m.SecretHistory),
  {
    loading: () => (
      <div className="mt-6">
        <Card title="Timeline">
          <LoadingRows label="Loading the history…" rows={3} rowClassName="h-6" />
        </Card>
      </div>
    ),
  },
);

export const SecretPullRequests = dynamic(
  () => import("@/components/changes/secret-pull-requests").then((m) => m.SecretPullRequests),
  {
    loading: () => (
      <section aria-labelledby="secret-pull-requests" className="space-y-2">
        <h2 id="secret-pull-requests" className="text-base font-semibold">
          Pull requests
        </h2>
        <LoadingRows label="Loading pull requests…" rows={1} rowClassName="h-10" />
      </section>
    ),
  },
);
