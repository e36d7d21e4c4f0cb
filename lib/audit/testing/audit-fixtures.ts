import type pg from "pg";
import { textRowToEvent } from "../audit-event-columns";
import type { AuditEventInput } from "../audit-event-input";
import type { ChainedAuditEvent } from "../canonical-encoding";
import { streamAuditRows } from "../stream-audit-rows";

// Test helpers: deterministic random events and a whole-table read. No secret values anywhere.

/** Mulberry32: a small seeded PRNG, so a failing trial can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const actions = [
  "seal.requested",
  "pull_request.opened",
  "secret.viewed",
  "force_sync.requested",
  "auth.sign_in",
];
const names = ["Ada Lovelace", "Grace Hopper", "Zoë Ünicode ✓", 'Quote "Q" Comma, Line\nBreak'];

/** A varied event: nulls, unicode, quotes, newlines, commas, nested details, empty and long key lists. */
export function randomEventInput(random: () => number, index: number): AuditEventInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const keyCount = Math.floor(random() * 4);
  return {
    actor:
      random() < 0.2
        ? {}
        : {
            userId: `u-${index % 7}`,
            name: pick(names),
            role: "developer",
            ip: "10.0.0.1",
            userAgent: "Mozilla/5.0 (test)",
          },
    action: pick(actions),
    target: {
      cluster: "sandbox",
      namespace: random() < 0.5 ? "payments" : "web",
      kind: "SealedSecret",
      name: `app-${index % 5}`,
      keys: Array.from({ length: keyCount }, (_, k) => `KEY_${k}`),
    },
    outcome: pick(["success", "failure", "denied"] as const),
    details: {
      index,
      ratio: 1.5,
      nested: { b: [1, "two", null], a: true },
      note: pick(["", "plain", "tab\there"]),
    },
    ...(random() < 0.3 ? { pullRequestUrl: `https://git.example/pr/${index}` } : {}),
    requestId: `req-${index}`,
  };
}

/** Every event in the table, in seq order. */
export async function readAllEvents(client: pg.ClientBase): Promise<ChainedAuditEvent[]> {
  const events: ChainedAuditEvent[] = [];
  for await (const batch of streamAuditRows(client)) events.push(...batch.map(textRowToEvent));
  return events;
}
