"use client";

import { useCallback, useRef, useState } from "react";
import type { SealedSecretManifest } from "@/lib/sealing";
import { locateProposalFiles } from "@/lib/gitops/actions/locate-proposal-files";
import { previewProposal } from "@/lib/gitops/actions/preview-proposal";
import { proposeSealedSecret } from "@/lib/gitops/actions/propose-sealed-secret";
import { verifySealedManifests } from "@/lib/gitops/actions/verify-sealed-manifests";
import type { ActionResult } from "@/lib/auth/authorized-action";
import {
  manifestPathSchema,
  type LocateProposalFilesResult,
  type PreviewProposalResult,
  type ProposeSealedSecretInput,
  type ProposeSealedSecretResult,
  type VerifySealedManifestsResult,
} from "@/lib/validations/proposal";

// The submit flow after the form: sealing (in the page) → validating → where it goes → committing and
// opening the pull request → done. Only ciphertexts, names and metadata reach these server actions; once
// sealed, a failed later step is retried from the sealed manifests, so nothing has to be typed again.

export type SealedFile = { cluster: string; certificateFingerprint: string; manifest: SealedSecretManifest };

export type ProposalRequest = Omit<ProposeSealedSecretInput, "files" | "repository">;

export type FlowStep = "sealing" | "validating" | "locating" | "review" | "proposing" | "done";

/** What the proposal would commit, fetched at "Where it goes" and again when a path changes. */
export type PreviewState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "ready"; base: PreviewProposalResult["base"]; files: PreviewProposalResult["files"] }
  | { status: "error"; message: string };

export type FlowState = {
  step: FlowStep | "idle";
  /** The step that failed and why, in words. */
  failure: { step: FlowStep; message: string } | null;
  request: ProposalRequest | null;
  sealed: SealedFile[] | null;
  verification: VerifySealedManifestsResult | null;
  located: LocateProposalFilesResult | null;
  /** Path per cluster, editable in the "where it goes" step. */
  paths: Record<string, string>;
  preview: PreviewState;
  result: ProposeSealedSecretResult | null;
  /** Opened from a re-seal campaign: add to its open pull request instead of opening the secret's own. */
  joinCampaign: boolean;
};

const initial: FlowState = {
  step: "idle",
  failure: null,
  request: null,
  sealed: null,
  verification: null,
  located: null,
  paths: {},
  preview: { status: "idle" },
  result: null,
  joinCampaign: false,
};

function failureText<T>(result: ActionResult<T>): string {
  if (result.ok) return "";
  const fields = Object.entries(result.fieldErrors ?? {})
    .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
    .join("; ");
  return fields ? `${result.error} (${fields})` : result.error;
}

const networkFailure = (error: unknown) =>
  `Sealdeck could not be reached (${error instanceof Error ? error.message : "network error"}). Check your connection and try again.`;

export function pathErrors(paths: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [cluster, path] of Object.entries(paths)) {
    const parsed = manifestPathSchema.safeParse(path);
    if (!parsed.success) errors[cluster] = `Path ${parsed.error.issues[0]?.message ?? "is invalid"}`;
  }
  return errors;
}

function proposalInput(state: FlowState, campaign?: string): ProposeSealedSecretInput | null {
  const { request, sealed, paths, located } = state;
  if (!request || !sealed) return null;
  const join = campaign && state.joinCampaign && located?.campaignPullRequest;
  return {
    ...request,
    ...(located ? { repository: located.repository } : {}),
    ...(join ? { addToCampaign: campaign } : {}),
    files: sealed.map((f) => ({
      cluster: f.cluster,
      certificateFingerprint: f.certificateFingerprint,
      manifest: f.manifest,
      ...(paths[f.cluster] ? { path: paths[f.cluster]!.trim() } : {}),
    })),
  };
}

/** `campaign`: the re-seal campaign the form was opened from (its pull request is offered at "Where it goes"). */
export function useProposeFlow(campaign?: string) {
  const [state, setState] = useState<FlowState>(initial);
  // The latest state for async steps that run after a re-render.
  const current = useRef(state);
  const update = useCallback((patch: Partial<FlowState>) => {
    current.current = { ...current.current, ...patch };
    setState(current.current);
  }, []);

  const fail = useCallback(
    (step: FlowStep, message: string) => update({ step, failure: { step, message } }),
    [update],
  );

  // Only the latest preview's answer is shown: a path edited meanwhile asks again.
  const previewRun = useRef(0);
  const refreshPreview = useCallback(async () => {
    const input = proposalInput(current.current, campaign);
    if (!input || Object.keys(pathErrors(current.current.paths)).length > 0) return;
    const run = ++previewRun.current;
    update({ preview: { status: "loading" } });
    let preview: PreviewState;
    try {
      const result = await previewProposal(input);
      preview = result.ok
        ? { status: "ready", base: result.data.base, files: result.data.files }
        : { status: "error", message: failureText(result) };
    } catch (error) {
      preview = { status: "error", message: networkFailure(error) };
    }
    if (run === previewRun.current && current.current.step === "review") update({ preview });
  }, [campaign, update]);

  const locate = useCallback(async () => {
    const { request, sealed } = current.current;
    if (!request || !sealed) return;
    update({ step: "locating", failure: null });
    try {
      const result = await locateProposalFiles({
        namespace: request.namespace,
        name: request.name,
        clusters: sealed.map((f) => f.cluster),
        ...(campaign ? { campaign } : {}),
      });
      if (!result.ok) return fail("locating", failureText(result));
      const paths = Object.fromEntries(result.data.files.map((f) => [f.cluster, f.path]));
      update({ step: "review", located: result.data, paths });
    } catch (error) {
      return fail("locating", networkFailure(error));
    }
    await refreshPreview();
  }, [campaign, fail, refreshPreview, update]);

  const validate = useCallback(async () => {
    const { sealed } = current.current;
    if (!sealed) return;
    update({ step: "validating", failure: null, verification: null });
    try {
      const result = await verifySealedManifests({
        files: sealed.map((f) => ({ cluster: f.cluster, manifest: f.manifest })),
      });
      if (!result.ok) return fail("validating", failureText(result));
      update({ verification: result.data });
      const invalid = result.data.filter((r) => r.outcome === "invalid");
      if (invalid.length > 0)
        return fail(
          "validating",
          `The controller of ${invalid.map((r) => r.cluster).join(", ")} cannot decrypt what was sealed for it` +
            `${invalid[0]?.message ? ` (${invalid[0].message})` : ""}. Nothing was proposed. Its certificate may ` +
            "have changed while you worked: start again to seal with the current one.",
        );
      await locate();
    } catch (error) {
      fail("validating", networkFailure(error));
    }
  }, [fail, locate, update]);

  /** Seals (the caller's work, in the page), then validates and locates. */
  const start = useCallback(
    async (seal: () => Promise<{ request: ProposalRequest; sealed: SealedFile[] }>) => {
      current.current = { ...initial, step: "sealing" };
      setState(current.current);
      let sealed: Awaited<ReturnType<typeof seal>>;
      try {
        sealed = await seal();
      } catch (error) {
        return fail("sealing", error instanceof Error ? error.message : "Sealing failed in this browser.");
      }
      update({ request: sealed.request, sealed: sealed.sealed });
      await validate();
    },
    [fail, update, validate],
  );

  const previewTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const setPath = useCallback(
    (cluster: string, path: string) => {
      update({ paths: { ...current.current.paths, [cluster]: path }, preview: { status: "loading" } });
      if (previewTimer.current) clearTimeout(previewTimer.current);
      previewTimer.current = setTimeout(() => void refreshPreview(), 400);
    },
    [refreshPreview, update],
  );

  /**
   * After adding to the campaign's pull request failed: ask again whether it is still open, so a merged
   * or closed one is no longer offered and "Try again" opens the secret's own.
   */
  const recheckCampaign = useCallback(async () => {
    const { request, sealed, located } = current.current;
    if (!campaign || !request || !sealed || !located) return;
    try {
      const again = await locateProposalFiles({
        repository: located.repository,
        namespace: request.namespace,
        name: request.name,
        clusters: sealed.map((f) => f.cluster),
        campaign,
      });
      if (!again.ok) return;
      const open = again.data.campaignPullRequest ?? null;
      update({
        located: { ...located, campaignPullRequest: open },
        ...(open ? {} : { joinCampaign: false }),
      });
    } catch {
      // The failure shown stays the one to act on.
    }
  }, [campaign, update]);

  const propose = useCallback(async () => {
    const input = proposalInput(current.current, campaign);
    if (!input) return;
    if (Object.keys(pathErrors(current.current.paths)).length > 0) return;
    update({ step: "proposing", failure: null });
    try {
      const result = await proposeSealedSecret(input);
      if (!result.ok) {
        fail("proposing", failureText(result));
        if (input.addToCampaign) await recheckCampaign();
        return;
      }
      update({ step: "done", result: result.data });
    } catch (error) {
      fail("proposing", networkFailure(error));
    }
  }, [campaign, fail, recheckCampaign, update]);

  // Adding commits onto the campaign's branch, so the preview compares with its head, not main.
  const setJoinCampaign = useCallback(
    (join: boolean) => {
      update({ joinCampaign: join });
      void refreshPreview();
    },
    [refreshPreview, update],
  );

  /** Runs the failed step again from what is already sealed (sealing itself is retried by the form). */
  const retry = useCallback(async () => {
    const failed = current.current.failure?.step;
    if (failed === "validating") await validate();
    else if (failed === "locating") await locate();
    else if (failed === "proposing") await propose();
  }, [locate, propose, validate]);

  const reset = useCallback(() => {
    previewRun.current++;
    current.current = initial;
    setState(initial);
  }, []);

  return { state, start, setPath, propose, retry, reset, setJoinCampaign };
}
