import { type RotationQuery, rotationQuerySchema } from "@/lib/validations/rotation";

/** The Rotations page's filters and sort (the URL's query); paging is the list hook's business. */
export type RotationFilters = Omit<RotationQuery, "offset" | "limit">;

export const rotationFilterKeys = [
  "status",
  "cluster",
  "environment",
  "namespace",
  "team",
  "kind",
  "text",
  "sort",
  "order",
] as const;
export type RotationFilterKey = (typeof rotationFilterKeys)[number];

/** The filters that narrow the rows (sort and order only arrange them). */
export const rotationNarrowingKeys = [
  "status",
  "cluster",
  "environment",
  "namespace",
  "team",
  "kind",
  "text",
] as const;

// Checked together, like the Secrets page: one invalid value resets them all to the defaults, so a
// hand-edited URL never half-applies.
export function parseRotationFilters(raw: Partial<Record<RotationFilterKey, string>>): RotationFilters {
  const parsed = rotationQuerySchema.safeParse(raw);
  const {
    offset: _offset,
    limit: _limit,
    ...filters
  } = parsed.success ? parsed.data : rotationQuerySchema.parse({});
  return filters;
}

function filterParams(filters: Partial<RotationFilters>, omit: readonly RotationFilterKey[] = []) {
  const params = new URLSearchParams();
  for (const key of rotationFilterKeys) {
    const value = filters[key];
    if (value && !omit.includes(key)) params.set(key, String(value));
  }
  return params;
}

/** `GET /api/rotations`: one page of rows. */
export function rotationListUrl(filters: RotationFilters, offset: number, limit: number): string {
  const params = filterParams(filters);
  params.set("offset", String(offset));
  params.set("limit", String(limit));
  return `/api/rotations?${params.toString()}`;
}

/** `GET /api/rotations/summary`: the charts ignore the status filter and the sort. */
export function rotationSummaryUrl(filters: RotationFilters): string {
  const query = filterParams(filters, ["status", "sort", "order"]).toString();
  return query ? `/api/rotations/summary?${query}` : "/api/rotations/summary";
}

/** `GET /api/rotations/report`: the signed auditors' report of what the page shows (every page). */
export function rotationReportUrl(filters: RotationFilters, format: "csv" | "json"): string {
  const params = filterParams(filters);
  params.set("format", format);
  return `/api/rotations/report?${params.toString()}`;
}
