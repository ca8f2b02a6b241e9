/**
 * When to try a send again after a retryable failure (rate limited, provider error, no answer). A stored
 * schedule, not an in-process one (p-retry sleeps in memory, and a restart would forget the retry): the next
 * attempt's time is written to the outbox and any instance's sweep makes it.
 *
 * Waits after attempts 1 to 5: 30 s, 1 min, 3 min, 8 min, 15 min, about 27 minutes in all; the 6th failure is
 * final. Short at first (a blip, a rate limit), then long enough to ride out an outage of several minutes.
 * Each wait is spread by +-20% so the replies held back during an outage do not all hit the provider in the
 * same second when it comes back.
 */
const WAITS_MS = [30_000, 60_000, 180_000, 480_000, 900_000] as const;

/** Provider attempts per message, the first included. */
export const MAX_SEND_ATTEMPTS = WAITS_MS.length + 1;

/** The longest wait after `attempt` failed (tests move their clock past it). */
export const maxRetryWait = (attempt: number): number => Math.ceil(WAITS_MS[Math.min(attempt, WAITS_MS.length) - 1]! * 1.2);

/** How long to wait after attempt number `attempt` (1-based) failed. `random` returns [0, 1). */
export function retryWait(attempt: number, random: () => number = Math.random): number {
  const base = WAITS_MS[Math.min(attempt, WAITS_MS.length) - 1]!;
  return Math.round(base * (0.8 + 0.4 * random()));
}
