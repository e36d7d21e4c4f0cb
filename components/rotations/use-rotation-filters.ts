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

const groupKeys = ["group"] as const;
const parseGroup = (raw: { group?: string }) => raw.group === "team";

/** "Group by owner team" is part of the URL too (`group=team`), apart from the API's query. */
export function useGroupByTeam(): [boolean, (changes: UrlFilterChanges<"group">) => void] {
  return useUrlFilters(groupKeys, parseGroup);
}
