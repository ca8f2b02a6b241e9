import Bottleneck from 'bottleneck';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { isOptedOutErrorCode, toSmsStatus, type SmsStatus } from './status.js';

/** What {@link TwilioSms} needs; it comes from the parsed config, never from the environment directly. */
export interface TwilioSmsConfig {
  /** Account SID: AC followed by 32 hex characters. */
  accountSid?: string;
  /** The account's auth token (also signs webhooks). */
  authToken?: string;
  /** Our sending number in E.164; needed unless `messagingServiceSid` is set. */
  from?: string;
  /** A Messaging Service (MG + 32 hex) that picks the sender; takes precedence over `from`. */
  messagingServiceSid?: string;
  /** Send every REST call here instead of https://api.twilio.com (a local Twilio-compatible server in tests). */
  apiBaseUrl?: string;
  /** Give up on one REST call after this long (the library's default is 30 s). */
  timeoutMs?: number;
  /**
   * Messages per second this sender may send (SMS_SEND_RATE_PER_SECOND): sends start at least 1/rate apart, in the
   * order they were asked for. Omitted: no spacing.
   */
  sendRatePerSecond?: number;
}

/** One text to send. */
export interface OutboundSms {
  /** The patient's number in E.164. */
  to: string;
  body: string;
  /** Our URL Twilio posts delivery updates to (PUBLIC_BASE_URL + path). */
  statusCallback?: string;
  /** Public URLs of images to attach (makes it an MMS). */
  mediaUrls?: string[];
}

/** What Twilio said when it accepted a message. */
export interface SentSms {
  /** Twilio's message SID; status callbacks refer to it. */
  providerId: string;
  status: SmsStatus;
}

/**
 * Twilio did not accept a message. The message names the HTTP status and Twilio error code, never the
 * phone number or the text (Twilio's own error text often contains the number, so it is not passed on).
 */
export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  /** Twilio's error code (21610 opted out, 21211 invalid number, 20429 rate limited ...), when it gave one. */
  readonly code?: number;
  /** The HTTP status of Twilio's answer; absent when no answer came (network error, timeout). */
  readonly httpStatus?: number;
  /** Trying again later may succeed: rate limiting, a Twilio-side error or a network failure. */
  readonly retryable: boolean;
  /** The patient sent STOP at the carrier: do not try again, record the opt-out. */
  readonly optedOut: boolean;

  constructor(message: string, details: { code?: number; httpStatus?: number; retryable: boolean }) {
    super(message);
    if (details.code !== undefined) this.code = details.code;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    this.retryable = details.retryable;
    this.optedOut = isOptedOutErrorCode(details.code);
  }
}

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

/**
 * A `twilio.RequestClient` that sends every request the library makes to another origin (and path prefix),
 * keeping the path and query Twilio's resource classes built. The library hard-codes its domains
 * (rest/ApiBase.js: `https://api.twilio.com`) but routes every call through `opts.httpClient`
 * (base/BaseTwilio.js `setOpts` and `request`), so this is the supported place to redirect.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #baseUrl: URL;

  constructor(baseUrl: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.#baseUrl = new URL(baseUrl);
  }

  override request<TData>(opts: RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rebase(opts.uri, this.#baseUrl) });
  }
}

function rebase(uri: string, baseUrl: URL): string {
  const original = new URL(uri);
  const target = new URL(baseUrl.href);
  target.pathname = baseUrl.pathname.replace(/\/+$/, '') + original.pathname;
  target.search = original.search;
  return target.href;
}

/** Sends SMS and MMS through the real `twilio` library. */
export class TwilioSms {
  readonly #client: twilio.Twilio;
  readonly #sender: { from: string } | { messagingServiceSid: string };
  /**
   * Spaces this sender's sends (one TwilioSms is one sender, so two senders never share a limit). Bottleneck's
   * `minTime` holds each start back until 1/rate after the previous one, FIFO, in memory: one process needs no
   * Redis. Each process has its own limiter, so N instances on one sender send up to N x the rate (a shared
   * limiter would need Redis, which we do not run); Twilio's 429 is then retried by the outbound gateway.
   */
  readonly #limiter: Bottleneck | undefined;

  /** @throws Error naming every missing or malformed setting (without echoing the auth token). */
  constructor(config: TwilioSmsConfig) {
    const valid = validateConfig(config);
    this.#limiter = valid.sendRatePerSecond === undefined ? undefined : new Bottleneck({ minTime: 1000 / valid.sendRatePerSecond });
    this.#sender = valid.messagingServiceSid ? { messagingServiceSid: valid.messagingServiceSid } : { from: valid.from ?? '' };
    const clientOptions: RequestClient.RequestClientOptions = { timeout: valid.timeoutMs };
    const httpClient = valid.apiBaseUrl ? new BaseUrlRequestClient(valid.apiBaseUrl, clientOptions) : new twilio.RequestClient(clientOptions);
    this.#client = twilio(valid.accountSid, valid.authToken, {
      httpClient,
      // The library would otherwise read TWILIO_LOG_LEVEL from the environment, and at "debug" it prints requests.
      logLevel: 'info',
      // Retrying is the outbound gateway's decision (it knows about quiet hours and the message record).
      autoRetry: false,
    });
  }

  /**
   * Hands one message to Twilio.
   *
   * @returns Twilio's message id and its first status (`queued`, or `accepted` with a Messaging Service).
   * @throws SmsSendError when Twilio refuses it or cannot be reached.
   */
  async send(message: OutboundSms): Promise<SentSms> {
    return this.#limiter ? this.#limiter.schedule(() => this.#send(message)) : this.#send(message);
  }

  /** Sends asked for that have not started yet (waiting for their turn at the send rate). */
  waitingSends(): number {
    if (!this.#limiter) return 0;
    const counts = this.#limiter.counts();
    return counts.RECEIVED + counts.QUEUED + counts.RUNNING;
  }

  async #send(message: OutboundSms): Promise<SentSms> {
    const mediaUrl = message.mediaUrls && message.mediaUrls.length > 0 ? message.mediaUrls : undefined;
    let created: { sid: string; status: string };
    try {
      created = await this.#client.messages.create({
        ...this.#sender,
        to: message.to,
        ...(message.body !== '' && { body: message.body }),
        ...(mediaUrl && { mediaUrl }),
        ...(message.statusCallback && { statusCallback: message.statusCallback }),
      });
    } catch (error) {
      throw toSendError(error);
    }
    // An unknown first status takes the lowest rank, so the first callback corrects it.
    return { providerId: created.sid, status: toSmsStatus(created.status) ?? 'accepted' };
  }

  /**
   * Messages our sender (the from-number, or the Messaging Service) sent to `to` since `since`, through Twilio's
   * message list (`To`, `From`, `DateSent>=` filters; the library follows the pages), newest first.
   *
   * Twilio lists by the time a message left for the carrier (DateSent): a message still queued at Twilio (in a
   * Messaging Service's queue, say) is not listed yet, so ask only once a message has had time to leave.
   *
   * @throws SmsSendError when Twilio refuses the request or cannot be reached.
   */
  async listSent(query: { to: string; since: Date; limit?: number }): Promise<ListedSms[]> {
    let listed: { sid: string; to: string; body: string; status: string; dateCreated: Date; messagingServiceSid: string | null }[];
    try {
      listed = await this.#client.messages.list({
        to: query.to,
        ...('from' in this.#sender && { from: this.#sender.from }),
        dateSentAfter: query.since,
        pageSize: 100,
        limit: query.limit ?? 200,
      });
    } catch (error) {
      throw toSendError(error);
    }
    const sender = this.#sender;
    const ours = 'messagingServiceSid' in sender ? listed.filter((message) => message.messagingServiceSid === sender.messagingServiceSid) : listed;
    return ours.map((message) => ({ providerId: message.sid, to: message.to, body: message.body, status: toSmsStatus(message.status) ?? 'accepted', createdAt: message.dateCreated }));
  }
}

/** One message as Twilio's message list shows it. */
export interface ListedSms {
  providerId: string;
  to: string;
  body: string;
  status: SmsStatus;
  /** When Twilio took it. */
  createdAt: Date;
}

interface ValidConfig {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  apiBaseUrl?: string;
  timeoutMs?: number;
  sendRatePerSecond?: number;
}

function validateConfig(config: TwilioSmsConfig): ValidConfig {
  const problems: string[] = [];
  const { accountSid, authToken, from, messagingServiceSid, apiBaseUrl, timeoutMs, sendRatePerSecond } = config;
  if (!accountSid) problems.push('accountSid is missing');
  else if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) problems.push('accountSid must be AC followed by 32 hex characters');
  if (!authToken) problems.push('authToken is missing');
  if (!from && !messagingServiceSid) problems.push('either from (an E.164 number) or messagingServiceSid is required');
  if (from && !/^\+[1-9]\d{7,14}$/.test(from)) problems.push('from must be an E.164 phone number');
  if (messagingServiceSid && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
    problems.push('messagingServiceSid must be MG followed by 32 hex characters');
  }
  if (apiBaseUrl !== undefined && !isHttpUrl(apiBaseUrl)) problems.push('apiBaseUrl must be an http(s) URL');
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) problems.push('timeoutMs must be a positive integer');
  if (sendRatePerSecond !== undefined && !(sendRatePerSecond > 0 && Number.isFinite(sendRatePerSecond))) problems.push('sendRatePerSecond must be a positive number');
  if (problems.length > 0 || !accountSid || !authToken) throw new Error(`Twilio SMS is misconfigured: ${problems.join('; ')}`);
  return { accountSid, authToken, from, messagingServiceSid, apiBaseUrl, timeoutMs, sendRatePerSecond };
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

/** What the common Twilio error codes mean, in words safe to log. */
const KNOWN_CODES: Readonly<Record<number, string>> = {
  20003: 'authentication failed (check accountSid and authToken)',
  20404: 'resource not found',
  20429: 'too many requests',
  21211: 'the recipient number is not a valid phone number',
  21408: 'sending to this region is not enabled',
  21602: 'a message body or media is required',
  21610: 'the recipient has opted out (replied STOP)',
  21612: 'no route between the sender and the recipient',
  21614: 'the recipient number cannot receive SMS',
};

/** Turns whatever the library threw into an SmsSendError, dropping Twilio's free text (it may hold the number). */
function toSendError(error: unknown): SmsSendError {
  const failure = error as { status?: unknown; code?: unknown; isAxiosError?: unknown } | null;
  if (failure && typeof failure.status === 'number' && typeof failure.code !== 'string') {
    // RestException or TwilioServiceException: Twilio answered with an error status.
    const httpStatus = failure.status;
    const code = typeof failure.code === 'number' ? failure.code : undefined;
    const retryable = httpStatus === 429 || httpStatus >= 500 || code === 20429;
    const reason = (code !== undefined && KNOWN_CODES[code]) || (retryable ? 'Twilio is unavailable' : 'rejected by Twilio');
    const codeText = code === undefined ? '' : `, error ${code}`;
    return new SmsSendError(`Twilio did not accept the message (HTTP ${httpStatus}${codeText}): ${reason}`, { httpStatus, code, retryable });
  }
  const networkCode = failure && typeof failure.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(failure.code) ? failure.code : undefined;
  if (failure?.isAxiosError === true || networkCode) {
    // No answer from Twilio. A timeout may still have sent the text: the gateway's record prevents a blind resend.
    return new SmsSendError(`Twilio could not be reached (${networkCode ?? 'network error'})`, { retryable: true });
  }
  return new SmsSendError('Twilio send failed unexpectedly', { retryable: false });
}
