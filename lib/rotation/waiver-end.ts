import { AppError } from "@/lib/errors/app-error";

const DAY_MS = 86_400_000;
const MAX_DAYS_AHEAD = 366;

/**
 * A waiver's `until` date as the instant it ends: the end of that day in UTC. Today is the earliest
 * (a waiver "until today" covers the rest of the day), a year from today the latest: a waiver is a
 * decision to revisit, not a way to switch a policy off.
 */
export function waiverEndOrThrow(date: string, now: Date): Date {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(start)) throw new AppError("unprocessable", "The date is not valid.");
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (start < today) throw new AppError("unprocessable", "A waiver cannot end in the past.");
  const latest = Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate());
  if (start > latest || start - today > MAX_DAYS_AHEAD * DAY_MS)
    throw new AppError("unprocessable", "A waiver can run at most a year ahead.");
  return new Date(start + DAY_MS - 1);
}
