import { RouteLoading } from "@/components/ui/route-loading";

// The Overview sits in a route group so that this boundary covers it alone: a loading.tsx at the root
// would wrap every section's layout too, and a layout's forbidden() (lib/auth/guard-section.ts) could
// then no longer turn the response into a 403.
export default function Loading() {
  return <RouteLoading />;
}
