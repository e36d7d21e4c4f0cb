"use client";

import { useId } from "react";
import type { CampaignPullRequest } from "@/lib/validations/proposal";

type CampaignPullRequestChoiceProps = {
  pullRequest: CampaignPullRequest;
  join: boolean;
  onChange: (join: boolean) => void;
  disabled: boolean;
};

/** Opened from a re-seal campaign that has an open pull request in this repository: join it, or not. */
export function CampaignPullRequestChoice({
  pullRequest,
  join,
  onChange,
  disabled,
}: CampaignPullRequestChoiceProps) {
  const id = useId();
  const label = pullRequest.number > 0 ? `#${pullRequest.number}` : pullRequest.branch;
  const count = `${pullRequest.secrets} secret${pullRequest.secrets === 1 ? "" : "s"}`;
  return (
    <fieldset className="space-y-1 text-sm" disabled={disabled}>
      <legend className="text-xs font-medium">Pull request</legend>
      <label className="flex items-center gap-2" htmlFor={`${id}-own`}>
        <input
          id={`${id}-own`}
          type="radio"
          name={`${id}-pull-request`}
          checked={!join}
          onChange={() => onChange(false)}
        />
        Its own pull request
      </label>
      <label className="flex items-center gap-2" htmlFor={`${id}-campaign`}>
        <input
          id={`${id}-campaign`}
          type="radio"
          name={`${id}-pull-request`}
          checked={join}
          onChange={() => onChange(true)}
        />
        <span>
          Add to the campaign&apos;s pull request {pullRequest.repository} {label} ({count})
        </span>
      </label>
    </fieldset>
  );
}
