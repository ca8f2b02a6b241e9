import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BaseUrlRequestClient, SmsSendError, TwilioSms, type TwilioSmsConfig } from '../../src/integrations/twilio/client.js';
import { parseInboundSms, parseStatusCallback, verifyTwilioSignature } from '../../src/integrations/twilio/webhook.js';
import { fixedClock } from '../../src/lib/clock.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server.js';
import { freePort } from '../helpers/port.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const FROM = '+15557654321';
const SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';
const PATIENT = '+15551234567';
const BODY = 'Time for your 8am metformin. Reply TAKEN, SKIP or SNOOZE 30.';
const PUBLIC_BASE_URL = 'https://careloop.example.org';
const STATUS_URL = `${PUBLIC_BASE_URL}/webhooks/twilio/status`;

/** A stand-in for our own HTTP server: records the webhooks the fake delivers and answers 204. */
interface Receiver {
  url: string;
  received: { path: string; signature: string | undefined; params: Record<string, string> }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = request.headers['x-twilio-signature'];
      received.push({ path: request.url ?? '', signature: typeof signature === 'string' ? signature : undefined, params });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function sendError(promise: Promise<unknown>): Promise<SmsSendError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(SmsSendError);
  return outcome as SmsSendError;
}

let fake: FakeTwilio;
let receiver: Receiver;
let sms: TwilioSms;
const config = (overrides: Partial<TwilioSmsConfig> = {}): TwilioSmsConfig => ({
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  from: FROM,
  apiBaseUrl: fake.url,
  ...overrides,
});

beforeAll(async () => {
  receiver = await startReceiver();
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, callbackBaseUrl: receiver.url });
  sms = new TwilioSms(config());
});

afterAll(async () => {
  await fake?.close();
  await receiver?.close();
});

beforeEach(() => {
  fake.reset();
  receiver.received.length = 0;
});

describe('TwilioSms.send against the fake Twilio', () => {
  it('sends one message with exactly our To, From, Body and StatusCallback', async () => {
    const sent = await sms.send({ to: PATIENT, body: BODY, statusCallback: STATUS_URL });

    expect(sent.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ sid: sent.providerId, accountSid: ACCOUNT_SID, to: PATIENT, from: FROM, body: BODY, statusCallback: STATUS_URL, mediaUrls: [] });
    expect(fake.messages[0]).not.toHaveProperty('messagingServiceSid');
  });

  it('sends text with emoji and accents unchanged', async () => {
    const body = 'Hola José 👋 ¿cómo está la herida? Reply 1, 2 or 3';
    await sms.send({ to: PATIENT, body });
    expect(fake.messages[0]?.body).toBe(body);
    expect(fake.messages[0]).not.toHaveProperty('statusCallback');
  });

  it('attaches every media URL, in order', async () => {
    const mediaUrls = [`${PUBLIC_BASE_URL}/media/wound-care-1.png`, `${PUBLIC_BASE_URL}/media/wound-care-2.png`];
    const sent = await sms.send({ to: PATIENT, body: 'How to change your dressing', mediaUrls });

    expect(sent.providerId).toMatch(/^MM[0-9a-f]{32}$/);
    expect(fake.messages[0]?.mediaUrls).toEqual(mediaUrls);
  });

  it('sends through a Messaging Service instead of a number when one is configured', async () => {
    const viaService = new TwilioSms(config({ from: undefined, messagingServiceSid: SERVICE_SID }));
    const sent = await viaService.send({ to: PATIENT, body: BODY });

    expect(sent.status).toBe('accepted');
    expect(fake.messages[0]).toMatchObject({ messagingServiceSid: SERVICE_SID });
    expect(fake.messages[0]).not.toHaveProperty('from');
  });

  it('records concurrent sends, each with its own id', async () => {
    const sends = ['+15551230001', '+15551230002', '+15551230003'].map((to) => sms.send({ to, body: BODY }));
    const [messages, sent] = await Promise.all([fake.waitForMessages(3, 10_000), Promise.all(sends)]);

    expect(messages.map((message) => message.to).sort()).toEqual(['+15551230001', '+15551230002', '+15551230003']);
    expect(new Set(sent.map((result) => result.providerId)).size).toBe(3);
  });
});

describe('TwilioSms.send failures', () => {
  it('reports 21610 as an opt-out, not retryable, without the number or the text', async () => {
    fake.failNext({ code: 21610 });
    const error = await sendError(sms.send({ to: PATIENT, body: BODY }));

    expect(error).toMatchObject({ code: 21610, httpStatus: 400, optedOut: true, retryable: false });
    expect(error.message).not.toContain(PATIENT);
    expect(error.message).not.toContain('metformin');
    expect(fake.messages).toHaveLength(0);
  });

  it('reports an invalid number (21211) without repeating the number Twilio quoted', async () => {
    const badNumber = '+1555';
    const error = await sendError(sms.send({ to: badNumber, body: BODY }));

    expect(error).toMatchObject({ code: 21211, httpStatus: 400, optedOut: false, retryable: false });
    expect(error.message).not.toContain(badNumber);
  });

  it('reports rate limiting (20429, HTTP 429) as retryable', async () => {
    fake.failNext({ code: 20429 });
    const error = await sendError(sms.send({ to: PATIENT, body: BODY }));
    expect(error).toMatchObject({ code: 20429, httpStatus: 429, retryable: true, optedOut: false });
  });

  it('reports a Twilio-side 500 as retryable, and the next attempt succeeds', async () => {
    fake.failNext({ code: 500, times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await sendError(sms.send({ to: PATIENT, body: BODY }));
      expect(error).toMatchObject({ httpStatus: 500, retryable: true });
    }
    await expect(sms.send({ to: PATIENT, body: BODY })).resolves.toMatchObject({ status: 'queued' });
    expect(fake.messages).toHaveLength(1);
  });

  it('is refused with 401 when the auth token is wrong', async () => {
    const wrongToken = new TwilioSms(config({ authToken: 'ffffffffffffffffffffffffffffffff' }));
    const error = await sendError(wrongToken.send({ to: PATIENT, body: BODY }));

    expect(error).toMatchObject({ code: 20003, httpStatus: 401, retryable: false, optedOut: false });
    expect(error.message).not.toContain('ffffffff');
    expect(fake.requests.map((request) => request.status)).toEqual([401]);
    expect(fake.messages).toHaveLength(0);
  });

  it('is refused when the account SID is not the one the token belongs to', async () => {
    const otherAccount = new TwilioSms(config({ accountSid: 'AC' + 'f'.repeat(32) }));
    const error = await sendError(otherAccount.send({ to: PATIENT, body: BODY }));
    expect(error.httpStatus).toBe(401);
  });

  it('rejects a message with neither text nor media (21602)', async () => {
    const error = await sendError(sms.send({ to: PATIENT, body: '' }));
    expect(error).toMatchObject({ code: 21602, retryable: false });
  });

  it('reports an unreachable Twilio as retryable, with no HTTP status', async () => {
    const closedPort = await freePort();
    const unreachable = new TwilioSms(config({ apiBaseUrl: `http://127.0.0.1:${closedPort}` }));
    const error = await sendError(unreachable.send({ to: PATIENT, body: BODY }));

    expect(error.retryable).toBe(true);
    expect(error.httpStatus).toBeUndefined();
    expect(error.message).not.toContain(PATIENT);
  });

  it('reports a provider slower than the timeout as retryable', async () => {
    fake.latencyMs = 2_000;
    const impatient = new TwilioSms(config({ timeoutMs: 100 }));
    const error = await sendError(impatient.send({ to: PATIENT, body: BODY }));

    expect(error.retryable).toBe(true);
    expect(error.httpStatus).toBeUndefined();
  });
});

describe('apiBaseUrl redirection', () => {
  it('sends each REST call of the library to the base URL', async () => {
    await sms.send({ to: PATIENT, body: BODY });
    await sms.send({ to: PATIENT, body: BODY });

    expect(fake.requests).toEqual([
      { method: 'POST', path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, status: 201 },
      { method: 'POST', path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, status: 201 },
    ]);
  });

  it('keeps a path prefix of the base URL', async () => {
    const prefixed = new TwilioSms(config({ apiBaseUrl: `${fake.url}/twilio-proxy/` }));
    const error = await sendError(prefixed.send({ to: PATIENT, body: BODY }));

    // The fake only serves the root, so the prefixed path is a 404 there: proof of where the call went.
    expect(error.httpStatus).toBe(404);
    expect(fake.requests).toEqual([{ method: 'POST', path: `/twilio-proxy/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, status: 404 }]);
  });

  it('redirects other library calls too (a message fetch with its query-free GET)', async () => {
    const { providerId } = await sms.send({ to: PATIENT, body: BODY });
    const library = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new BaseUrlRequestClient(fake.url) });
    const fetched = await library.messages(providerId).fetch();

    expect(fetched).toMatchObject({ sid: providerId, to: PATIENT, body: BODY, status: 'queued' });
    expect(fake.requests.at(-1)).toEqual({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${providerId}.json`, status: 200 });
  });
});

describe('listing sent messages and outages (the fake on a clock of its own)', () => {
  const clock = fixedClock(new Date('2026-03-10T15:00:00Z'));
  let timed: FakeTwilio;
  let client: TwilioSms;
  beforeAll(async () => {
    timed = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, clock });
    client = new TwilioSms(config({ apiBaseUrl: timed.url }));
  });
  afterAll(() => timed.close());
  beforeEach(() => timed.reset());

  it('lists what our number sent to one recipient since a time, newest first, through every page', async () => {
    const early = await client.send({ to: PATIENT, body: 'early' });
    clock.advance(3_600_000);
    const since = clock.now();
    const sent: string[] = [];
    for (const body of ['one', 'two', 'three', 'four', 'five']) {
      sent.push((await client.send({ to: PATIENT, body })).providerId);
      clock.advance(1_000);
    }
    await client.send({ to: '+15550001111', body: 'someone else' });
    await new TwilioSms(config({ apiBaseUrl: timed.url, from: '+15550002222' })).send({ to: PATIENT, body: 'another sender' });

    const listed = await client.listSent({ to: PATIENT, since });
    expect(listed.map((message) => message.body)).toEqual(['five', 'four', 'three', 'two', 'one']);
    expect(listed.map((message) => message.providerId)).toEqual([...sent].reverse());
    expect(listed[0]).toMatchObject({ to: PATIENT, status: 'queued', createdAt: new Date(since.getTime() + 4_000) });
    expect(listed.map((message) => message.providerId)).not.toContain(early.providerId);

    // Pages of two: the library follows Twilio's next_page_uri (Page and PageToken) to the end.
    const library = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new BaseUrlRequestClient(timed.url) });
    const paged = await library.messages.list({ to: PATIENT, from: FROM, dateSentAfter: since, pageSize: 2 });
    expect(paged.map((message) => message.body)).toEqual(['five', 'four', 'three', 'two', 'one']);
    const gets = timed.requests.filter((request) => request.method === 'GET').slice(-3).map((request) => new URL(request.path, 'http://x').searchParams);
    expect(gets.map((query) => [query.get('Page'), query.get('PageSize'), query.get('To')])).toEqual([[null, '2', PATIENT], ['1', '2', PATIENT], ['2', '2', PATIENT]]);
    expect(gets[1]?.get('PageToken')).toMatch(/^PASM/);
  });

  it('plays an outage on its clock: 503 for every call until it ends, then accepts again', async () => {
    timed.outage({ forMs: 30_000 });
    const during = await sendError(client.send({ to: PATIENT, body: BODY }));
    expect(during).toMatchObject({ httpStatus: 503, code: 20503, retryable: true });
    expect(await sendError(client.listSent({ to: PATIENT, since: clock.now() }))).toMatchObject({ httpStatus: 503 });
    clock.advance(30_000);
    await client.send({ to: PATIENT, body: BODY });
    expect(timed.messages).toHaveLength(1);
  });

  it('plays 429s, and a provider that drops the connection without an answer', async () => {
    timed.outage({ forMs: 10_000, httpStatus: 429 });
    expect(await sendError(client.send({ to: PATIENT, body: BODY }))).toMatchObject({ httpStatus: 429, code: 20429, retryable: true });
    timed.outage({ forMs: 10_000, unreachable: true });
    const dropped = await sendError(client.send({ to: PATIENT, body: BODY }));
    expect(dropped.httpStatus).toBeUndefined();
    expect(dropped.retryable).toBe(true);
    timed.endOutage();
    await client.send({ to: PATIENT, body: BODY });
    expect(timed.messages).toHaveLength(1);
  });
});

describe('TwilioSms configuration', () => {
  it.each<[string, Partial<TwilioSmsConfig>, RegExp]>([
    ['no account SID', { accountSid: undefined }, /accountSid is missing/],
    ['a malformed account SID', { accountSid: 'SK0123' }, /accountSid must be AC/],
    ['no auth token', { authToken: '' }, /authToken is missing/],
    ['no sender', { from: undefined }, /either from .* or messagingServiceSid is required/],
    ['a sender that is not E.164', { from: '555-0100' }, /from must be an E.164/],
    ['a malformed Messaging Service SID', { messagingServiceSid: 'MG12' }, /messagingServiceSid must be MG/],
    ['a base URL that is not http(s)', { apiBaseUrl: 'ftp://127.0.0.1' }, /apiBaseUrl must be an http\(s\) URL/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs must be a positive integer/],
  ])('says what is wrong with %s', (_case, overrides, expected) => {
    expect(() => new TwilioSms(config(overrides))).toThrow(expected);
  });

  it('lists every problem at once and never echoes the auth token', () => {
    let message = '';
    try {
      new TwilioSms({ accountSid: 'bogus', authToken: 'secret-token-value', apiBaseUrl: 'nope' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/accountSid must be AC.*either from .* or messagingServiceSid is required.*apiBaseUrl/);
    expect(message).not.toContain('secret-token-value');
  });
});

describe('webhooks from the fake Twilio', () => {
  it('posts a signed status callback that our helpers verify and parse', async () => {
    const { providerId } = await sms.send({ to: PATIENT, body: BODY, statusCallback: STATUS_URL });
    const answer = await fake.postStatus(providerId, 'delivered');

    expect(answer.status).toBe(204);
    expect(receiver.received).toHaveLength(1);
    const [callback] = receiver.received;
    expect(callback?.path).toBe('/webhooks/twilio/status');
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: STATUS_URL, params: callback?.params ?? {}, signature: callback?.signature })).toBe(true);
    expect(parseStatusCallback(callback?.params ?? {})).toEqual({ providerMessageId: providerId, status: 'delivered', optedOut: false });
  });

  it('signs for the public URL, so checking against the local address fails', async () => {
    const { providerId } = await sms.send({ to: PATIENT, body: BODY, statusCallback: STATUS_URL });
    await fake.postStatus(providerId, 'undelivered', 30007);
    const [callback] = receiver.received;
    const localUrl = `${receiver.url}/webhooks/twilio/status`;

    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: localUrl, params: callback?.params ?? {}, signature: callback?.signature })).toBe(false);
    expect(parseStatusCallback(callback?.params ?? {})).toMatchObject({ status: 'undelivered', errorCode: 30007 });
  });

  it('posts a signed inbound MMS with realistic fields', async () => {
    const url = `${PUBLIC_BASE_URL}/webhooks/twilio/sms`;
    const media = [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01', contentType: 'image/jpeg' }];
    const params = fake.inboundParams({ from: PATIENT, to: FROM, body: 'wound photo', media });
    await fake.postInbound(url, params);
    const [inbound] = receiver.received;

    expect(inbound?.params).toMatchObject({ AccountSid: ACCOUNT_SID, NumMedia: '1', MediaUrl0: media[0]?.url, MediaContentType0: 'image/jpeg' });
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: inbound?.params ?? {}, signature: inbound?.signature })).toBe(true);
    expect(parseInboundSms(inbound?.params ?? {})).toEqual({ providerMessageId: params.MessageSid, from: PATIENT, to: FROM, body: 'wound photo', media });
  });

  it('can post an inbound webhook without a signature, or with a forged one', async () => {
    const url = `${PUBLIC_BASE_URL}/webhooks/twilio/sms`;
    const params = fake.inboundParams({ from: PATIENT, to: FROM, body: 'STOP' });
    await fake.postInbound(url, params, { signature: null });
    await fake.postInbound(url, params, { signature: 'Zm9yZ2VkIHNpZ25hdHVyZQ==' });

    expect(receiver.received.map((request) => request.signature)).toEqual([undefined, 'Zm9yZ2VkIHNpZ25hdHVyZQ==']);
    for (const request of receiver.received) {
      expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: request.params, signature: request.signature })).toBe(false);
    }
  });
});
