/**
 * Whether the SMS send rate can keep up with the jobs due at one minute: every job due in a minute has to go out
 * within the catch-up window (CATCHUP_WINDOW_MINUTES), or it expires. Quiet hours make such spikes: every reminder
 * held overnight is due the minute they end.
 */
export interface SendCapacity {
  /** SMS_SEND_RATE_PER_SECOND. */
  ratePerSecond: number;
  catchUpWindowMs: number;
}

/** One minute whose due jobs the send rate cannot all send within the catch-up window. */
export interface OverCapacityMinute {
  /** The minute's start. */
  minute: Date;
  due: number;
  /** How many the rate sends within the catch-up window. */
  capacity: number;
}

/** Messages the rate sends within the catch-up window. */
export const sendsWithinWindow = ({ ratePerSecond, catchUpWindowMs }: SendCapacity): number => Math.floor((ratePerSecond * catchUpWindowMs) / 1000);

/** The minutes whose due count (`dueAt` -> how many jobs) is over capacity, earliest first. */
export function overCapacityMinutes(dueCounts: Iterable<[Date, number]>, limits: SendCapacity): OverCapacityMinute[] {
  const byMinute = new Map<number, number>();
  for (const [dueAt, count] of dueCounts) {
    const minute = Math.floor(dueAt.getTime() / 60_000) * 60_000;
    byMinute.set(minute, (byMinute.get(minute) ?? 0) + count);
  }
  const capacity = sendsWithinWindow(limits);
  return [...byMinute]
    .filter(([, due]) => due > capacity)
    .sort(([left], [right]) => left - right)
    .map(([minute, due]) => ({ minute: new Date(minute), due, capacity }));
}
