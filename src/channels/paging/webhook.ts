import { setTimeout as delay } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { webhookBody, type Page, type PageDeliveryResult, type WebhookFormat } from '../../domain/escalation/page.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';

/** One failed try, described without the URL or the body (a Slack or Teams webhook URL is itself a secret). */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    readonly code: string,
    readonly retryable: boolean,
    /** How long the receiver asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(`page delivery failed: ${code}`, options);
  }
}

/** How a pager retries one page before it reports a failure to the escalation service. */
export interface RetryPolicy {
  /** Tries after the first one. */
  retries: number;
  /** The wait before the first retry; doubled for each later one, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /**
   * A Retry-After up to this long is waited out; a longer one ends the tries at once with `retryAfter` in the
   * result, so the escalation service (which has a schedule) defers the page instead of a worker sleeping on it.
   */
  maxRetryAfterMs: number;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 3,
  backoffMs: 1_000,
  maxBackoffMs: 15_000,
  maxRetryAfterMs: 30_000,
  clock: systemClock,
  sleep: (ms) => delay(ms),
};

/**
 * Runs `send` until it succeeds, fails for good, or the retries run out (p-retry counts them; the waits are ours,
 * so a receiver's Retry-After takes the place of the backoff). `send` throws a {@link DeliveryFailure}; anything
 * else it throws is a bug of ours and is not retried. `onFailure` hears of every failed try (for logs).
 */
export async function deliverWithRetries(
  send: () => Promise<void>,
  policy: RetryPolicy,
  onFailure?: (failure: DeliveryFailure, attempt: number) => void,
): Promise<PageDeliveryResult> {
  let attempts = 0;
  try {
    await pRetry(
      async () => {
        attempts += 1;
        const failure = await send().then(
          () => undefined,
          (err: unknown) => (err instanceof DeliveryFailure ? err : new DeliveryFailure('internal', false, undefined, { cause: err })),
        );
        if (!failure) return;
        onFailure?.(failure, attempts);
        const waitTooLong = (failure.retryAfterMs ?? 0) > policy.maxRetryAfterMs;
        throw failure.retryable && !waitTooLong ? failure : new AbortError(failure);
      },
      {
        retries: policy.retries,
        minTimeout: 0, // no wait of p-retry's own: onFailedAttempt waits
        onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
          if (retriesLeft > 0) await policy.sleep(retryDelayMs(error as DeliveryFailure, retriesConsumed, policy));
        },
      },
    );
    return { status: 'delivered', attempts };
  } catch (err) {
    const failure = err instanceof DeliveryFailure ? err : new DeliveryFailure('internal', false);
    const retryAfter = failure.retryAfterMs === undefined ? {} : { retryAfter: new Date(policy.clock.now().getTime() + failure.retryAfterMs) };
    return { status: 'failed', attempts, code: failure.code, retryable: failure.retryable, ...retryAfter };
  }
}

/** The wait before the next try: what the receiver asked for, else exponential backoff. */
export function retryDelayMs(failure: DeliveryFailure, retriesConsumed: number, policy: RetryPolicy): number {
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
  return Math.min(policy.backoffMs * 2 ** retriesConsumed, policy.maxBackoffMs);
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined when unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

export interface WebhookPagerOptions extends Partial<RetryPolicy> {
  /** Give up on one try after this long (connect, send, answer); default 10 s. */
  timeoutMs?: number;
  /** Allow http://127.0.0.1 (a local receiver in tests). Everything else must be https. */
  allowInsecureLocal?: boolean;
  logger?: Logger;
}

/**
 * Pages staff through a webhook: our own JSON, a Teams Workflows card or a Slack message (see page.ts), POSTed with
 * fetch. Network errors, timeouts, 429 and 5xx are retried; any other answer but 2xx is final (a 3xx too: a
 * redirect is not followed, so the body never goes anywhere but the configured URL).
 */
export class WebhookPager {
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #allowInsecureLocal: boolean;
  readonly #logger: Logger | undefined;

  constructor(options: WebhookPagerOptions = {}) {
    const { timeoutMs = 10_000, allowInsecureLocal = false, logger, ...policy } = options;
    this.#policy = { ...defaultRetryPolicy, ...policy };
    this.#timeoutMs = timeoutMs;
    this.#allowInsecureLocal = allowInsecureLocal;
    this.#logger = logger;
  }

  /** Sends `page` to one of a staff member's webhook channels (a `notificationChannels` entry). */
  async send(channel: { type: WebhookFormat; address: string }, page: Page): Promise<PageDeliveryResult> {
    const url = allowedUrl(channel.address, this.#allowInsecureLocal);
    if (!url) {
      this.#logger?.warn({ channel: channel.type }, 'page not sent: the webhook URL is not https (or is not a URL)');
      return { status: 'failed', attempts: 0, code: 'url_not_allowed', retryable: false };
    }
    const body = JSON.stringify(webhookBody(page, channel.type));
    // Only the host is ever logged: the path and query of a Slack or Teams webhook URL are its secret.
    const where = { channel: channel.type, host: url.host, alertId: page.alertId };
    const result = await deliverWithRetries(
      () => this.#post(url, body),
      this.#policy,
      (failure, attempt) => this.#logger?.warn({ ...where, attempt, code: failure.code }, 'page attempt failed'),
    );
    this.#logger?.info({ ...where, ...result }, result.status === 'delivered' ? 'page delivered' : 'page failed');
    return result;
  }

  async #post(url: URL, body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'CareLoop-Pager/1' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new DeliveryFailure(timedOut ? 'timeout' : 'network', true, undefined, { cause: err });
    }
    // The answer's body is of no use; releasing it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return;
    const retryable = response.status === 429 || response.status >= 500;
    const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after'), this.#policy.clock.now()) : undefined;
    throw new DeliveryFailure(`http_${response.status}`, retryable, retryAfterMs);
  }
}

/** https anywhere; http only to 127.0.0.1 and only when allowed (tests). */
function allowedUrl(address: string, allowInsecureLocal: boolean): URL | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:') return url;
  return allowInsecureLocal && url.protocol === 'http:' && url.hostname === '127.0.0.1' ? url : undefined;
}
