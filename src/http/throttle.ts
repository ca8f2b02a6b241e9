import { normalizeIP, type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when a limiter refused this request: it is logged and audited only if it is its window's first. */
    throttle?: Throttle;
  }
}

/** A refusal by a limiter. */
export interface Throttle {
  /** The first refusal of this client in the window: the one request that is logged and audited. */
  first: boolean;
  /** Why, for the audit event and the log line; names the client address or key, never a patient. */
  reason: string;
}

/** The client address a per-address budget is kept for: IPv6 addresses by their /64, as one host gets a whole /64. */
export const clientAddress = (req: FastifyRequest): string => normalizeIP(req.ip);

/**
 * Counts events per key in fixed windows of the injectable clock. Keys whose window has ended start again at
 * zero; at most `maxKeys` are held (the oldest window goes first), so a flood of addresses costs bounded memory.
 */
export class WindowCounter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  private readonly maxKeys: number;

  constructor(private readonly options: { windowMs: number; clock: Clock; maxKeys?: number }) {
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** The key's count in its current window (0 when it has none). */
  count(key: string): number {
    return this.current(key)?.count ?? 0;
  }

  /** Adds one to the key's count and returns the new count. */
  add(key: string): number {
    const window = this.current(key);
    if (window) return ++window.count;
    this.windows.set(key, { startedAt: this.options.clock.now().getTime(), count: 1 });
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    return 1;
  }

  /** Milliseconds until the key's window ends. */
  msLeft(key: string): number {
    const window = this.current(key);
    return window ? window.startedAt + this.options.windowMs - this.options.clock.now().getTime() : this.options.windowMs;
  }

  /** Whole seconds until the key's window ends (at least 1). */
  secondsLeft(key: string): number {
    return Math.max(1, Math.ceil(this.msLeft(key) / 1000));
  }

  private current(key: string) {
    const window = this.windows.get(key);
    if (window && window.startedAt + this.options.windowMs > this.options.clock.now().getTime()) return window;
    if (window) this.windows.delete(key); // ended: a new window is inserted last, behind the older ones
    return undefined;
  }
}

/**
 * The store of @fastify/rate-limit, on a WindowCounter: its windows follow the injectable clock, and each request
 * gets its own count. (The plugin's LocalStore answers with its live cache entry, so requests arriving together
 * all read the burst's final count and are all refused, those within the limit included.)
 */
export function rateLimitStore(clock: Clock): FastifyRateLimitStoreCtor {
  return class WindowStore implements FastifyRateLimitStore {
    private counter?: WindowCounter;

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      this.counter ??= new WindowCounter({ windowMs: timeWindow, clock }); // one window length per route's store
      const current = this.counter.add(key);
      callback(null, { current, ttl: this.counter.msLeft(key) });
    }

    child(): FastifyRateLimitStore {
      return new WindowStore();
    }
  };
}

/** A refusal by a failure budget, with the time until its window ends. */
export type Refusal = Throttle & { retryAfterSeconds: number };

/**
 * A per-client budget of failed attempts (wrong API keys, forged webhook signatures) per minute. Callers
 * `check` it BEFORE the costly part (a database read): past the budget, attempts are refused unchecked. They
 * report a failure with `fail`, which refuses too when concurrent attempts crossed the budget meanwhile, so at
 * most `perMinute` failures per window are answered as such. Refusals are counted, so exactly one is first.
 */
export class FailureBudget {
  private readonly counter: WindowCounter;

  /** `what` names the failures in messages, e.g. 'webhooks with a bad signature'. */
  constructor(private readonly options: { perMinute: number; clock: Clock; what: string }) {
    this.counter = new WindowCounter({ windowMs: 60_000, clock: options.clock });
  }

  /** Undefined while the client is within its budget; otherwise the refusal. */
  check(client: string): Refusal | undefined {
    return this.counter.count(client) < this.options.perMinute ? undefined : this.refusal(client, this.counter.add(client));
  }

  /** Records one failure of the client; a refusal when it is past the budget. */
  fail(client: string): Refusal | undefined {
    const count = this.counter.add(client);
    return count > this.options.perMinute ? this.refusal(client, count) : undefined;
  }

  private refusal(client: string, count: number): Refusal {
    return {
      first: count === this.options.perMinute + 1,
      retryAfterSeconds: this.counter.secondsLeft(client),
      reason: `more than ${this.options.perMinute} ${this.options.what} per minute from ${client}; further refusals in this minute are not logged or audited`,
    };
  }
}

/** Marks the request as throttled and returns the 429 (with Retry-After) to throw. */
export function refuse(req: FastifyRequest, reply: FastifyReply, refusal: Refusal): AppError {
  req.throttle = { first: refusal.first, reason: refusal.reason };
  reply.header('retry-after', String(refusal.retryAfterSeconds));
  return new AppError('rate_limited', `too many failed attempts from this address; retry in ${refusal.retryAfterSeconds} s`);
}
