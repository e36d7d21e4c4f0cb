"use client";

import { type UrlFilterChanges, useUrlFilters } from "@/components/ui/use-url-filters";
import {
  parseRotationFilters,
  type RotationFilterKey,
  type RotationFilters,
  rotationFilterKeys,
} from "@/lib/queries/rotation-urls";

/** The Rotations page's filters live in the URL (shareable, survive a reload). */
export function useRotationFilters(): [
  RotationFilters,
  (changes: UrlFilterChanges<RotationFilterKey>) => void,
] {
  return useUrlFilters(rotationFilterKeys, parseRotationFilters);
}

type GroupKey = "group" | "sort" | "order";
const groupKeys: readonly GroupKey[] = ["group"];
const parseGroup = (raw: { group?: string }) => raw.group === "team";

/**
 * "Group by owner team" is part of the URL too (`group=team`), apart from the API's query. Its update
 * also takes the sort: grouping needs the team order, and two URL updates in one event would each start
 * from the same URL, the second undoing the first.
 */
export function useGroupByTeam(): [boolean, (changes: UrlFilterChanges<GroupKey>) => void] {
  return useUrlFilters(groupKeys, parseGroup);
}
