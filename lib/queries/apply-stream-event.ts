import type { InfiniteData } from "@tanstack/react-query";
import type {
  SecretDetailResponse,
  SecretListResponse,
  SecretStreamEvent,
} from "@/lib/validations/secret-list-query";

export type ListData = InfiniteData<SecretListResponse, string | undefined>;

/**
 * Merges one stream event into a cached list. Events at or below the list's resourceVersion are
 * already in it and are ignored. Returns `"refetch"` when the event cannot be placed (a new record:
 * only the server knows where it sorts and whether it matches the filters).
 */
export function applyEventToList(
  data: ListData | undefined,
  event: SecretStreamEvent,
): ListData | undefined | "refetch" {
  const first = data?.pages[0];
  if (!data || !first || event.resourceVersion <= first.resourceVersion) return data;
  if (event.type === "cluster") {
    const clusters = first.clusters.map((c) => (c.name === event.cluster.name ? event.cluster : c));
    return { ...data, pages: [{ ...first, clusters }, ...data.pages.slice(1)] };
  }
  const id = event.type === "upsert" ? event.record.id : event.id;
  let old: SecretListResponse["items"][number] | undefined;
  const pages = data.pages.map((page) => {
    const index = page.items.findIndex((r) => r.id === id);
    if (index < 0) return page;
    old = page.items[index];
    const items = [...page.items];
    if (event.type === "upsert") items[index] = event.record;
    else items.splice(index, 1);
    return { ...page, items };
  });
  if (!old) return event.type === "upsert" ? "refetch" : data;
  // The displayed counts and total are the first page's; keep them in step.
  const head = pages[0]!;
  const counts = { ...head.counts, [old.health.status]: head.counts[old.health.status] - 1 };
  let total = head.total;
  if (event.type === "upsert") counts[event.record.health.status] += 1;
  else total -= 1;
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
