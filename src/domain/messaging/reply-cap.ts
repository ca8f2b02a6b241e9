/** What the cap decides for one reply: send it, send the notice in its place, or hold it back. */
export type CapDecision = 'send' | 'notice' | 'hold';

interface CapWindow {
  startedAt: number;
  sent: number;
  noticed: boolean;
}

const WINDOW_MS = 60_000;

/** What the patient is told, once per window, when the cap is reached. One SMS segment. */
export function replyCapNotice(emergencyNumber: string): string {
  return `You're sending messages faster than we can answer. We'll read them all, but replies pause for a minute. If this is an emergency, call ${emergencyNumber}.`;
}

/**
 * How many replies one address can make CareLoop send per minute. A flood of inbound texts (a stuck phone, a
 * loop between two bots, someone hammering the number) would otherwise cost one or more SMS each. The window
 * starts at the first reply and lasts a minute; past `perMinute` replies, the next one becomes a single notice,
 * and the rest of the window's replies are held back. Only the replies: every inbound message is still stored
 * and its turn still runs, and the gateway never asks the cap about urgent replies or the opt-out confirmation.
 *
 * Counted in this process's memory: deciding costs no database call, and turns of one conversation already run
 * one at a time in one process (bot/runtime.ts). With N instances a number can get up to N x perMinute.
 */
export class ReplyCap {
  private readonly windows = new Map<string, CapWindow>();
  private lastSweep = 0;

  constructor(private readonly perMinute: number) {}

  /** Takes a place for one reply to `key` (a channel address) at `now`. */
  take(key: string, now: Date): CapDecision {
    const at = now.getTime();
    this.sweep(at);
    let window = this.windows.get(key);
    if (!window || at - window.startedAt >= WINDOW_MS) {
      window = { startedAt: at, sent: 0, noticed: false };
      this.windows.set(key, window);
    }
    if (window.sent < this.perMinute) {
      window.sent += 1;
      return 'send';
    }
    if (window.noticed) return 'hold';
    window.noticed = true;
    return 'notice';
  }

  /** Gives back a place taken for a reply that was not sent after all (its key was already used: a re-run turn). */
  giveBack(key: string): void {
    const window = this.windows.get(key);
    if (window && window.sent > 0) window.sent -= 1;
  }

  /** Forgets finished windows, at most once a minute, so the map holds only the addresses of the last minute. */
  private sweep(at: number): void {
    if (at - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = at;
    for (const [key, window] of this.windows) if (at - window.startedAt >= WINDOW_MS) this.windows.delete(key);
  }
}
