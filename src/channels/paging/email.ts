import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { emailMessage, type Page, type PageDeliveryResult } from '../../domain/escalation/page.js';
import { defaultRetryPolicy, deliverWithRetries, DeliveryFailure, type RetryPolicy } from './webhook.js';

export interface EmailPagerOptions extends Partial<RetryPolicy> {
  /** `smtp://user:pass@host:587` (STARTTLS required) or `smtps://user:pass@host:465` (TLS from the start). */
  smtpUrl: string;
  /** The sender address, e.g. `CareLoop <alerts@clinic.example.org>`. */
  from: string;
  /** Give up on connecting, on the greeting, or on a silent server after this long; default 10 s. */
  timeoutMs?: number;
  /** Allow plain SMTP to 127.0.0.1 (a local test server). Everywhere else the connection must be encrypted. */
  allowInsecureLocal?: boolean;
  logger?: Logger;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;

/** The properties nodemailer puts on the errors it rejects with (see its NodemailerError). */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
}

/** Errors of the connection rather than of the message: the same message may go through on a new one. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS']);

/**
 * Pages staff by e-mail over SMTP (nodemailer). A 4xx reply (451 "try again later", 421, 452) or a connection
 * failure is retried; a 5xx reply is final. Logs never carry the recipient, the server's reply (it often repeats
 * the address) or the message.
 */
export class EmailPager {
  readonly #transport: Transport;
  readonly #from: string;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger | undefined;

  /** @throws Error naming the setting at fault (never echoing the SMTP password). */
  constructor(options: EmailPagerOptions) {
    const { smtpUrl, from, timeoutMs = 10_000, allowInsecureLocal = false, logger, ...policy } = options;
    const url = parseSmtpUrl(smtpUrl);
    assertFromAddress(from);
    const plainAllowed = allowInsecureLocal && url.hostname === '127.0.0.1';
    this.#transport = nodemailer.createTransport({
      url: smtpUrl,
      // smtps:// is TLS from the first byte; smtp:// must upgrade with STARTTLS, except to a local test server.
      requireTLS: url.protocol === 'smtp:' && !plainAllowed,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // The page has no attachments: nothing should make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    this.#from = from;
    this.#policy = { ...defaultRetryPolicy, ...policy };
    this.#logger = logger;
  }

  /** Sends `page` to one staff e-mail address (a `notificationChannels` entry of type `email`). */
  async send(channel: { address: string }, page: Page): Promise<PageDeliveryResult> {
    const message = emailMessage(page);
    const where = { channel: 'email', alertId: page.alertId };
    const result = await deliverWithRetries(
      async () => {
        try {
          await this.#transport.sendMail({
            from: this.#from,
            // An address object, not a string: a comma in a stored address cannot turn into a second recipient.
            to: { name: '', address: channel.address },
            ...message,
            priority: page.severity === 'normal' ? 'normal' : 'high',
            // RFC 3834: tells out-of-office responders not to answer a machine.
            headers: { 'Auto-Submitted': 'auto-generated' },
          });
        } catch (err) {
          throw smtpFailure(err as SmtpError);
        }
      },
      this.#policy,
      (failure, attempt) => this.#logger?.warn({ ...where, attempt, code: failure.code }, 'page attempt failed'),
    );
    this.#logger?.info({ ...where, ...result }, result.status === 'delivered' ? 'page delivered' : 'page failed');
    return result;
  }

  /** Closes the transport's connections (pair of the constructor, for shutdown). */
  close(): void {
    this.#transport.close();
  }
}

/** An SMTP error as a delivery failure: the reply code decides when there is one, else the kind of error. */
export function smtpFailure(err: SmtpError): DeliveryFailure {
  if (err.responseCode) {
    // nodemailer marks 5xx (but 503, a session out of step) as permanent, and 4xx as transient (RFC 5321 4.2.1).
    const permanent = err.permanent ?? err.responseCode >= 500;
    return new DeliveryFailure(`smtp_${err.responseCode}`, !permanent, undefined, { cause: err });
  }
  if (err.code && CONNECTION_CODES.has(err.code)) {
    return new DeliveryFailure(err.code === 'ETIMEDOUT' ? 'timeout' : 'smtp_connection', true, undefined, { cause: err });
  }
  // No reply and no connection trouble: TLS refused, no credentials, a bad envelope. Configuration, not weather.
  return new DeliveryFailure(`smtp_${(err.code ?? 'error').toLowerCase()}`, false, undefined, { cause: err });
}

function parseSmtpUrl(smtpUrl: string): URL {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('e-mail pager: the SMTP URL is not a URL (expected smtp://user:pass@host:port)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`e-mail pager: the SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw new Error('e-mail pager: the SMTP URL has no host');
  return url;
}

/** `alerts@clinic.example.org` or `CareLoop <alerts@clinic.example.org>`. */
function assertFromAddress(from: string): void {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  if (!z.email().safeParse(address).success) throw new Error('e-mail pager: `from` must be an e-mail address, optionally with a name');
}
