import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { SmsStatus } from '../../src/integrations/twilio/status.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';

/**
 * A local stand-in for the Twilio REST API (the part CareLoop uses) and for Twilio's webhooks.
 *
 * It speaks what the real `twilio` library sends: POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
 * form-encoded, Basic auth with the account SID and auth token, and answers with Twilio's JSON shapes and
 * error codes; GET of the same path lists messages, newest first, with Twilio's filters (`To`, `From`,
 * `DateSent`, `DateSent>`, `DateSent<`) and paging (`PageSize`, `Page`, `PageToken`, `next_page_uri`). Its
 * webhooks (status callbacks, inbound messages) are signed with the library's own helper. It can play an outage.
 */
export interface FakeTwilio {
  /** Base URL to pass as `apiBaseUrl`, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  /** Messages Twilio accepted, oldest first. */
  readonly messages: FakeMessage[];
  /** Every HTTP request the REST side received, accepted or not. */
  readonly requests: FakeRequest[];
  /** Delay before each REST answer, to play a slow provider. */
  latencyMs: number;
  /**
   * Make the next `times` (default 1) authenticated REST requests fail with this Twilio error code: 21610 (opted
   * out), 21211 (invalid To), 20429 (rate limited, HTTP 429), 500 (a Twilio-side error, HTTP 500), or any other.
   */
  failNext(failure: { code: number; httpStatus?: number; times?: number }): void;
  /**
   * Plays an outage for `forMs` on the fake's clock: every authenticated REST request (sends and lists) is
   * answered `httpStatus` (503 by default; 500, 429 ...), or, with `unreachable`, its connection is dropped with
   * no answer at all. Requests during it are not accepted (not in `messages`).
   */
  outage(options: { forMs: number; httpStatus?: number; unreachable?: boolean }): void;
  /** Ends an outage early. */
  endOutage(): void;
  /** Resolves once at least `count` messages were accepted; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<FakeMessage[]>;
  /** Calls `listener` for every message accepted from now on (benchmarks time replies with it); returns an unsubscribe. */
  onMessage(listener: (message: FakeMessage) => void): () => void;
  /** POSTs a signed status callback for a message to its StatusCallback URL, like Twilio does. */
  postStatus(sid: string, status: SmsStatus | (string & {}), errorCode?: number): Promise<WebhookResponse>;
  /** Realistic fields of an incoming-message webhook (MessageSid, AccountSid, From, To, Body, NumMedia, MediaUrl0 ...). */
  inboundParams(input: InboundInput): Record<string, string>;
  /** POSTs a signed incoming-message webhook. `signature: null` leaves the header out; a string replaces it. */
  postInbound(url: string, params: Record<string, string>, options?: { signature?: string | null }): Promise<WebhookResponse>;
  /** The X-Twilio-Signature Twilio would send for this URL and these fields. */
  sign(url: string, params: Record<string, string>): string;
  /** Forgets messages, requests and pending failures; latency back to 0. */
  reset(): void;
  close(): Promise<void>;
}

/** One message the fake accepted, with the fields as Twilio received them. */
export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  mediaUrls: string[];
  statusCallback?: string;
  status: string;
  errorCode?: number;
  /** RFC 2822, as Twilio writes dates; the fake "sends" at once, so `dateSent` is the same instant. */
  dateCreated: string;
  dateSent: string;
}

/** One REST request as the fake saw it. */
export interface FakeRequest {
  method: string;
  path: string;
  /** The answer it got. */
  status: number;
}

/** Our app's answer to a webhook the fake posted. */
export interface WebhookResponse {
  status: number;
  body: string;
}

/** The parts of an inbound message a test chooses; the rest is filled in like Twilio would. */
export interface InboundInput {
  from: string;
  to: string;
  body: string;
  media?: { url: string; contentType: string }[];
  messageSid?: string;
}

/** Options for {@link startFakeTwilio}. */
export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /**
   * Where webhooks are really delivered: the origin of each callback URL is swapped for this one, while the
   * signature still covers the original URL, as when Twilio calls PUBLIC_BASE_URL through a proxy.
   */
  callbackBaseUrl?: string;
  /** Time for message dates and outages (default: the system clock); share the app's clock in tests that move it. */
  clock?: Clock;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MESSAGE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;
const E164 = /^\+[1-9]\d{7,14}$/;

/** Error texts as Twilio words them (some quote the number, which our client must not pass on). */
const ERROR_TEXT: Record<number, (fields: URLSearchParams) => string> = {
  20001: () => 'Invalid DateSent filter',
  20003: () => 'Authenticate',
  20404: () => 'The requested resource was not found',
  20429: () => 'Too Many Requests',
  20500: () => 'Internal Server Error',
  20503: () => 'Service Unavailable',
  21211: (fields) => `The 'To' number ${fields.get('To') ?? ''} is not a valid phone number.`,
  21212: (fields) => `The 'From' number ${fields.get('From') ?? ''} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  21602: () => 'Message body is required.',
  21603: () => "A 'From' phone number is required.",
  21604: () => "A 'To' phone number is required.",
  21609: () => 'Invalid StatusCallback url',
  21610: () => 'Attempt to send to unsubscribed recipient',
  21617: () => 'The concatenated message body exceeds the 1600 character limit.',
  21620: () => 'Invalid media URL(s)',
  21623: () => 'Number of media files exceeds allowed limit',
  21701: () => 'The Messaging Service Sid is invalid.',
};

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const { accountSid, authToken } = options;
  const clock = options.clock ?? systemClock;
  const messages: FakeMessage[] = [];
  /** The messages in creation order, each with its instant, for listing. */
  const sentAt = new Map<string, number>();
  let outage: { until: number; httpStatus: number; unreachable: boolean } | undefined;
  const requests: FakeRequest[] = [];
  const failures: { code: number; httpStatus: number; left: number }[] = [];
  const waiters = new Set<{ check: () => void; abort: () => void }>();
  const listeners = new Set<(message: FakeMessage) => void>();
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (outage && clock.now().getTime() >= outage.until) outage = undefined;
      if (outage?.unreachable && request.headers.authorization === expectedAuth) {
        requests.push({ method: request.method ?? '', path: request.url ?? '', status: 0 });
        request.socket.destroy(); // no answer at all: the client sees a reset connection
        return;
      }
      const answer = handleRest(request, Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: request.method ?? '', path: request.url ?? '', status: answer.status });
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        response.end(JSON.stringify(answer.json));
      };
      if (fake.latencyMs > 0) setTimeout(send, fake.latencyMs);
      else send();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const fake: FakeTwilio = {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,
    latencyMs: 0,
    failNext({ code, httpStatus, times = 1 }) {
      failures.push({ code: code === 500 ? 20500 : code, httpStatus: httpStatus ?? defaultHttpStatus(code), left: times });
    },
    outage({ forMs, httpStatus = 503, unreachable = false }) {
      outage = { until: clock.now().getTime() + forMs, httpStatus, unreachable };
    },
    endOutage() {
      outage = undefined;
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForMessages(count, timeoutMs = 5_000) {
      return new Promise<FakeMessage[]>((resolve, reject) => {
        const fail = (why: string) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`fake Twilio: expected ${count} messages, got ${messages.length} (${why})`));
        };
        const waiter = {
          check: () => {
            if (messages.length < count) return;
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve([...messages]);
          },
          abort: () => fail('closed'),
        };
        const timer = setTimeout(() => fail(`waited ${timeoutMs} ms`), timeoutMs);
        waiters.add(waiter);
        waiter.check();
      });
    },
    async postStatus(sid, status, errorCode) {
      const message = messages.find((candidate) => candidate.sid === sid);
      if (!message) throw new Error(`fake Twilio: no message ${sid}`);
      if (!message.statusCallback) throw new Error(`fake Twilio: message ${sid} has no StatusCallback`);
      message.status = status;
      if (errorCode !== undefined) message.errorCode = errorCode;
      const params: Record<string, string> = {
        ApiVersion: '2010-04-01',
        AccountSid: message.accountSid,
        MessageSid: message.sid,
        SmsSid: message.sid,
        MessageStatus: status,
        SmsStatus: status,
        To: message.to,
        From: message.from ?? '+15005550006',
        ...(message.messagingServiceSid && { MessagingServiceSid: message.messagingServiceSid }),
        ...(errorCode !== undefined && { ErrorCode: String(errorCode) }),
        ...(status === 'delivered' && { RawDlrDoneDate: rawDlrDate(new Date()) }),
      };
      return postWebhook(message.statusCallback, params, fake.sign(message.statusCallback, params));
    },
    inboundParams({ from, to, body, media = [], messageSid }) {
      const sid = messageSid ?? makeSid(media.length > 0 ? 'MM' : 'SM');
      const params: Record<string, string> = {
        ToCountry: 'US',
        ToState: 'CA',
        SmsMessageSid: sid,
        NumMedia: String(media.length),
        ToCity: '',
        FromZip: '',
        SmsSid: sid,
        FromState: 'CA',
        SmsStatus: 'received',
        FromCity: '',
        Body: body,
        FromCountry: 'US',
        To: to,
        ToZip: '',
        NumSegments: String(segments(body)),
        MessageSid: sid,
        AccountSid: accountSid,
        From: from,
        ApiVersion: '2010-04-01',
      };
      media.forEach((item, index) => {
        params[`MediaUrl${index}`] = item.url;
        params[`MediaContentType${index}`] = item.contentType;
      });
      return params;
    },
    postInbound(url, params, postOptions = {}) {
      const signature = postOptions.signature === undefined ? fake.sign(url, params) : postOptions.signature;
      return postWebhook(url, params, signature);
    },
    sign(url, params) {
      return twilio.getExpectedTwilioSignature(authToken, url, params);
    },
    reset() {
      messages.length = 0;
      requests.length = 0;
      failures.length = 0;
      sentAt.clear();
      outage = undefined;
      fake.latencyMs = 0;
    },
    async close() {
      for (const waiter of [...waiters]) waiter.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The library keeps connections alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      await closed;
    },
  };

  /** Where a webhook for `url` really goes: the same path on callbackBaseUrl, if one was given. */
  function deliveryUrl(url: string): string {
    if (!options.callbackBaseUrl) return url;
    const original = new URL(url);
    return new URL(original.pathname + original.search, options.callbackBaseUrl).href;
  }

  async function postWebhook(url: string, params: Record<string, string>, signature: string | null): Promise<WebhookResponse> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
    };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    const response = await fetch(deliveryUrl(url), { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    return { status: response.status, body: await response.text() };
  }

  function handleRest(request: http.IncomingMessage, rawBody: string): { status: number; json: unknown; headers?: Record<string, string> } {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    if (request.headers.authorization !== expectedAuth) {
      return { status: 401, json: twilioError(20003, 401, new URLSearchParams()), headers: { 'www-authenticate': 'Basic realm="Twilio API"' } };
    }
    if (outage) return { status: outage.httpStatus, json: twilioError(outageCode(outage.httpStatus), outage.httpStatus, new URLSearchParams()) };
    const failure = failures[0];
    if (failure) {
      failure.left -= 1;
      if (failure.left <= 0) failures.shift();
      return { status: failure.httpStatus, json: twilioError(failure.code, failure.httpStatus, new URLSearchParams(rawBody)) };
    }
    const create = MESSAGES_PATH.exec(path);
    if (create && request.method === 'POST' && create[1] === accountSid) return createMessage(new URLSearchParams(rawBody));
    if (create && request.method === 'GET' && create[1] === accountSid) return listMessages(new URL(request.url ?? '/', 'http://fake'));
    const fetchOne = MESSAGE_PATH.exec(path);
    if (fetchOne && request.method === 'GET' && fetchOne[1] === accountSid) {
      const message = messages.find((candidate) => candidate.sid === fetchOne[2]);
      if (message) return { status: 200, json: messageResource(message) };
    }
    return { status: 404, json: twilioError(20404, 404, new URLSearchParams()) };
  }

  function createMessage(fields: URLSearchParams): { status: number; json: unknown } {
    const rejection = validateMessage(fields);
    if (rejection) return { status: 400, json: twilioError(rejection, 400, fields) };
    const mediaUrls = fields.getAll('MediaUrl');
    const from = fields.get('From') ?? undefined;
    const messagingServiceSid = fields.get('MessagingServiceSid') ?? undefined;
    const statusCallback = fields.get('StatusCallback') ?? undefined;
    const message: FakeMessage = {
      sid: makeSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
      accountSid,
      to: fields.get('To') ?? '',
      body: fields.get('Body') ?? '',
      mediaUrls,
      // With only a Messaging Service, Twilio has not picked a sender yet and answers "accepted".
      status: messagingServiceSid && !from ? 'accepted' : 'queued',
      dateCreated: rfc2822(clock.now()),
      dateSent: rfc2822(clock.now()),
      ...(from !== undefined && { from }),
      ...(messagingServiceSid !== undefined && { messagingServiceSid }),
      ...(statusCallback !== undefined && { statusCallback }),
    };
    messages.push(message);
    sentAt.set(message.sid, clock.now().getTime());
    for (const waiter of [...waiters]) waiter.check();
    for (const listener of [...listeners]) listener(message);
    return { status: 201, json: messageResource(message) };
  }

  /**
   * Twilio's message list: newest first; `DateSent` (that day), `DateSent>` (on or after) and `DateSent<` (on or
   * before) take a date (YYYY-MM-DD) or a date-time, as the library sends them; pages of `PageSize` (50 by
   * default), continued by the `next_page_uri` Twilio gives (`Page` and a `PageToken` naming the last message).
   */
  function listMessages(url: URL): { status: number; json: unknown } {
    const query = url.searchParams;
    const pageSize = Math.min(Math.max(Number(query.get('PageSize') ?? 50) || 50, 1), 1000);
    const page = Number(query.get('Page') ?? 0) || 0;
    const bounds = dateBounds(query);
    if (bounds === 'invalid') return { status: 400, json: twilioError(20001, 400, new URLSearchParams()) };
    const matching = messages
      .filter((message) => (!query.get('To') || message.to === query.get('To')) && (!query.get('From') || message.from === query.get('From')))
      .filter((message) => {
        const at = sentAt.get(message.sid) ?? 0;
        return at >= bounds.after && at <= bounds.before;
      })
      .reverse();
    const token = query.get('PageToken');
    const start = token ? matching.findIndex((message) => `PA${message.sid}` === token) + 1 : 0;
    const items = matching.slice(start, start + pageSize);
    const base = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    const filters = new URLSearchParams([...query].filter(([name]) => !['Page', 'PageSize', 'PageToken'].includes(name)));
    const pageUri = (extra: Record<string, string>) => `${base}?${new URLSearchParams([...filters, ['PageSize', String(pageSize)], ...Object.entries(extra)])}`;
    const last = items.at(-1);
    const more = last !== undefined && start + pageSize < matching.length;
    return {
      status: 200,
      json: {
        messages: items.map(messageResource),
        end: start + items.length - 1,
        first_page_uri: pageUri({ Page: '0' }),
        next_page_uri: more ? pageUri({ Page: String(page + 1), PageToken: `PA${last.sid}` }) : null,
        previous_page_uri: null,
        page,
        page_size: pageSize,
        start,
        uri: `${url.pathname}${url.search}`,
      },
    };
  }

  return fake;
}

/** The instants (ms) a list's DateSent filters allow, inclusive. */
function dateBounds(query: URLSearchParams): { after: number; before: number } | 'invalid' {
  const parse = (value: string | null, endOfDay: boolean): number | undefined | 'invalid' => {
    if (value === null || value === '') return undefined;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at)) return 'invalid';
    return dateOnly && endOfDay ? at + 86_400_000 - 1 : at;
  };
  const on = parse(query.get('DateSent'), false);
  const after = parse(query.get('DateSent>'), false);
  const before = parse(query.get('DateSent<'), true);
  if (on === 'invalid' || after === 'invalid' || before === 'invalid') return 'invalid';
  const bounds = { after: after ?? -Infinity, before: before ?? Infinity };
  if (on !== undefined) return { after: Math.max(bounds.after, on), before: Math.min(bounds.before, on + 86_400_000 - 1) };
  return bounds;
}

function outageCode(httpStatus: number): number {
  if (httpStatus === 429) return 20429;
  if (httpStatus === 503) return 20503;
  return 20500;
}

/** The first Twilio error code that applies to this Messages.create request, or undefined when it is fine. */
function validateMessage(fields: URLSearchParams): number | undefined {
  const to = fields.get('To');
  const from = fields.get('From');
  const service = fields.get('MessagingServiceSid');
  const body = fields.get('Body') ?? '';
  const mediaUrls = fields.getAll('MediaUrl');
  const callback = fields.get('StatusCallback');
  if (!to) return 21604;
  if (!E164.test(to)) return 21211;
  if (!from && !service) return 21603;
  if (from && !E164.test(from)) return 21212;
  if (service && !/^MG[0-9a-fA-F]{32}$/.test(service)) return 21701;
  if (!body && mediaUrls.length === 0) return 21602;
  if ([...body].length > 1600) return 21617;
  if (mediaUrls.length > 10) return 21623;
  if (!mediaUrls.every(isHttpUrl)) return 21620;
  if (callback && !isHttpUrl(callback)) return 21609;
  return undefined;
}

function messageResource(message: FakeMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`;
  return {
    account_sid: message.accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: message.dateCreated,
    date_sent: message.dateSent,
    date_updated: message.dateCreated,
    direction: 'outbound-api',
    error_code: message.errorCode ?? null,
    error_message: null,
    from: message.from ?? null,
    messaging_service_sid: message.messagingServiceSid ?? null,
    num_media: String(message.mediaUrls.length),
    num_segments: String(segments(message.body)),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: message.to,
    uri,
  };
}

function twilioError(code: number, status: number, fields: URLSearchParams): Record<string, unknown> {
  return {
    code,
    message: ERROR_TEXT[code]?.(fields) ?? 'Error',
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  };
}

function defaultHttpStatus(code: number): number {
  if (code === 20429) return 429;
  if (code === 20003) return 401;
  if (code === 500 || code === 20500) return 500;
  return 400;
}

function makeSid(prefix: 'SM' | 'MM'): string {
  return prefix + randomBytes(16).toString('hex');
}

function segments(body: string): number {
  const length = [...body].length;
  return length <= 160 ? 1 : Math.ceil(length / 153);
}

/** Twilio's date format: RFC 2822 with a numeric zone. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function rawDlrDate(date: Date): string {
  return date.toISOString().slice(2, 16).replace(/[-T:]/g, '');
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}
