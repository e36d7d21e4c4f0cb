import type { InfiniteData } from "@tanstack/react-query";
import type {
  SecretDetailResponse,
  SecretFilters,
  SecretListResponse,
  SecretStreamEvent,
} from "@/lib/validations/secret-list-query";
import { matchesSecretFilters, secretRecordOrder } from "@/lib/validations/secret-list-order";
import type { SecretRecord } from "@/lib/validations/secret-record";

export type ListData = InfiniteData<SecretListResponse, string | undefined>;
type Page = SecretListResponse;

function matchesHealth(record: SecretRecord, filters: SecretFilters): boolean {
  return !filters.health || record.health.status === filters.health;
}

/** First index in a sorted `items` whose record sorts after `record`. */
function insertionIndex(
  items: readonly SecretRecord[],
  record: SecretRecord,
  order: (a: SecretRecord, b: SecretRecord) => number,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (order(items[mid]!, record) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Puts `record` where the server's order has it among the loaded pages. Past the last loaded record of a
 * list with more pages, it is left for the page that will hold it (the keyset cursor fetches it then).
 */
function insertSorted(pages: Page[], record: SecretRecord, filters: SecretFilters): Page[] {
  const order = secretRecordOrder(filters);
  const lastPage = pages.length - 1;
  for (let p = 0; p <= lastPage; p++) {
    const page = pages[p]!;
    const last = page.items.at(-1);
    const fits = last ? order(record, last) < 0 : false;
    if (!fits && p < lastPage) continue;
    if (!fits && page.nextCursor) return pages;
    const items = [...page.items];
    items.splice(insertionIndex(items, record, order), 0, record);
    return pages.map((other, index) => (index === p ? { ...page, items } : other));
  }
  return pages;
}

/**
 * Merges one stream event into a cached list read with `filters`. Events at or below the list's
 * resourceVersion are already in it and are ignored. A new or changed record is placed by the list's
 * sort (or left out when it does not match the filters); the counts and total move from the record's
 * previous state (carried by the event) to its new one, whether or not it is on a loaded page.
 */
export function applyEventToList(
  data: ListData | undefined,
  event: SecretStreamEvent,
  filters: SecretFilters,
): ListData | undefined {
  const first = data?.pages[0];
  if (!data || !first || event.resourceVersion <= first.resourceVersion) return data;
  if (event.type === "cluster") {
    const clusters = first.clusters.map((c) => (c.name === event.cluster.name ? event.cluster : c));
    return { ...data, pages: [{ ...first, clusters }, ...data.pages.slice(1)] };
  }
  const id = event.type === "upsert" ? event.record.id : event.id;
  const next = event.type === "upsert" ? event.record : null;
  const { previous } = event;
  const counts = { ...first.counts };
  let total = first.total;
  let counted = false;
  if (previous && matchesSecretFilters(previous, filters)) {
    counts[previous.health.status] -= 1;
    if (matchesHealth(previous, filters)) total -= 1;
    counted = true;
  }
  if (next && matchesSecretFilters(next, filters)) {
    counts[next.health.status] += 1;
    if (matchesHealth(next, filters)) total += 1;
    counted = true;
  }

  let removed = false;
  let pages = data.pages.map((page) => {
    if (!page.items.some((r) => r.id === id)) return page;
    removed = true;
    return { ...page, items: page.items.filter((r) => r.id !== id) };
  });
  const shown = next !== null && matchesSecretFilters(next, filters) && matchesHealth(next, filters);
  if (shown) pages = insertSorted(pages, next, filters);
  if (!removed && !shown && !counted) return data;
  const head = pages[0]!;
  return { ...data, pages: [{ ...head, counts, total }, ...pages.slice(1)] };
}

/** Merges one stream event into a cached detail page. */
export function applyEventToDetail(
  data: SecretDetailResponse | undefined,
  event: SecretStreamEvent,
): SecretDetailResponse | undefined {
  if (!data || event.resourceVersion <= data.resourceVersion) return data;
  if (event.type === "upsert" && event.record.id === data.record.id) return { ...data, record: event.record };
  if (event.type === "cluster" && data.cluster?.name === event.cluster.name)
    return { ...data, cluster: event.cluster };
  return data;
}
