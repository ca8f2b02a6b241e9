import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DirectLine, type Activity, type Message } from 'botframework-directlinejs';
import Fastify, { type FastifyInstance } from 'fastify';
import mongoose from 'mongoose';
// rxjs 5 is DirectLineJS's own; its `ajax` service must return one of these Observables.
import { Observable } from 'rxjs/Observable.js';
import type { AjaxRequest, AjaxResponse } from 'rxjs/observable/dom/AjaxObservable.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDirectLine } from '../../src/channels/webchat/directline.js';
import { webChatBundlePath } from '../../src/channels/webchat/page.js';
import { createChatLink, directLineSecret, signDirectLineToken } from '../../src/channels/webchat/tokens.js';
import { appendBotActivity, type DirectLineActivity, type DirectLineIdentity } from '../../src/domain/webchat/directline.js';
import { errorHandler } from '../../src/http/errors.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { MongoDirectLineStore } from '../../src/store/repositories/directline.js';
import { mongoUri, openTestDatabase } from '../helpers/db.js';

const SECRET = 'test-webchat-secret-0123456789-abcdefghijkl';
const TTL = 1800;
const SESSION_MAX_HOURS = 8;
const clock = fixedClock(new Date('2026-03-02T15:00:00Z'));
const logLines: string[] = [];
const turns: { conversationId: string; activity: DirectLineActivity; identity: DirectLineIdentity }[] = [];
let held: Promise<void> | undefined; // a bot turn the test keeps waiting
let app: FastifyInstance;
let store: MongoDirectLineStore;
let base: string;
let dbName: string;

beforeAll(async () => {
  const { db } = await openTestDatabase({ clock });
  dbName = db.connection.name;
  store = new MongoDirectLineStore(db.connection, clock);
  app = Fastify({ bodyLimit: 100 * 1024 });
  app.setErrorHandler(errorHandler);
  await registerDirectLine(app, {
    store,
    secret: SECRET,
    clock,
    clinicName: 'Riverside <Clinic>',
    tokenTtlSeconds: TTL,
    sessionMaxHours: SESSION_MAX_HOURS,
    logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
    // The stand-in bot: records the turn and echoes through the store, as the real bot's gateway will.
    onUserActivity: async (conversationId, activity, identity) => {
      turns.push({ conversationId, activity, identity });
      if (activity.text === 'hold') await held;
      if (activity.text?.startsWith('fail')) throw new Error(`bot could not handle "${activity.text}"`);
      if (activity.type === 'message') await appendBotActivity(store, conversationId, { text: `echo: ${activity.text}`, replyToId: activity.id });
    },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  afterAll(() => app.close());
});

/** HTTP through fetch, for DirectLineJS: its XMLHttpRequest transport does not exist in Node 20. */
function fetchAjax(request: AjaxRequest): Observable<AjaxResponse> {
  return new Observable<AjaxResponse>((subscriber) => {
    const controller = new AbortController();
    const body = request.body === undefined || typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    fetch(request.url!, { method: request.method ?? 'GET', headers: request.headers as Record<string, string>, body, signal: controller.signal })
      .then(async (res) => {
        const text = await res.text();
        const response = text ? JSON.parse(text) : null;
        if (!res.ok) return subscriber.error({ status: res.status, response, xhr: { getResponseHeader: (name: string) => res.headers.get(name) } });
        subscriber.next({ status: res.status, response } as AjaxResponse);
        subscriber.complete();
      })
      .catch((err: unknown) => controller.signal.aborted || subscriber.error(err));
    return () => controller.abort();
  });
}

/** The official client, polling our endpoint. `WebSocket` is never constructed with `webSocket: false`, but must exist. */
function officialClient(token: string): DirectLine {
  type Options = ConstructorParameters<typeof DirectLine>[0];
  return new DirectLine({
    token,
    domain: `${base}/v3/directline`,
    webSocket: false,
    pollingInterval: 200,
    ajax: fetchAjax as unknown as Options['ajax'],
    WebSocket: class {} as unknown as Options['WebSocket'],
  });
}

const firstValue = <T>(observable: { subscribe(next: (value: T) => void, error: (err: unknown) => void): unknown }) =>
  new Promise<T>((resolve, reject) => observable.subscribe(resolve, reject));

async function call(method: string, path: string, options: { token?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** A started conversation, as the page does it: a token from /chat/token, then POST /conversations. */
async function startChat(link?: string): Promise<{ conversationId: string; token: string; linkStatus: string }> {
  const session = (await call('POST', '/chat/token', { body: link ? { link } : {} })).json();
  const started = await call('POST', '/v3/directline/conversations', { token: session.token, body: { user: {} } });
  expect(started.status).toBe(201);
  return { ...started.json(), linkStatus: session.linkStatus };
}

const say = (text: unknown) => ({ type: 'message', from: { id: 'r_visitor', role: 'user' }, text, channelData: { clientActivityID: 'c1' } });
const stored = async (conversationId: string) => (await store.since(conversationId, 0))!.activities;

describe('Direct Line with the official client (botframework-directlinejs)', () => {
  it('starts a conversation, posts, receives the echo by polling and refreshes its token', async () => {
    const generated = await call('POST', '/v3/directline/tokens/generate', { token: directLineSecret(SECRET), body: {} });
    expect(generated.status).toBe(200);
    const { token, conversationId, expires_in } = generated.json();
    expect(expires_in).toBe(TTL);

    const client = officialClient(token);
    const received: Activity[] = [];
    const streamErrors: unknown[] = [];
    client.activity$.subscribe((activity) => received.push(activity), (err: unknown) => streamErrors.push(err)); // end() errors it with "conversation ended"
    const message: Message = { type: 'message', from: { id: 'r_visitor', role: 'user' }, text: 'hello', channelData: { clientActivityID: 'client-1' } };
    const postedId = await firstValue<string>(client.postActivity(message));
    expect(postedId).toBe(`${conversationId}|0000001`);

    await vi.waitFor(() => expect(received.map((activity) => (activity as Message).text)).toEqual(['hello', 'echo: hello']), { timeout: 10_000 });
    const [mine, echo] = received as DirectLineActivity[];
    expect(mine).toMatchObject({ id: postedId, from: { role: 'user' }, channelData: { clientActivityID: 'client-1' } }); // Web Chat marks it sent
    expect(echo).toMatchObject({ id: `${conversationId}|0000002`, from: { id: 'careloop', role: 'bot' }, replyToId: postedId });
    expect(turns.at(-1)).toMatchObject({ conversationId, identity: {} });

    // Refresh through the library's own request (it runs every 15 minutes on its timer), then outlive the first token.
    clock.advance(20 * 60_000);
    const refreshed = await firstValue<string>((client as unknown as { refreshToken(): Observable<string> }).refreshToken());
    expect(refreshed).not.toBe(token);
    client.reconnect({ conversationId, token: refreshed });
    clock.advance(15 * 60_000);
    expect((await call('GET', `/v3/directline/conversations/${conversationId}/activities`, { token })).status).toBe(403);
    await firstValue(client.postActivity({ ...message, text: 'after refresh', channelData: { clientActivityID: 'client-2' } }));
    await vi.waitFor(() => expect(received.map((activity) => (activity as Message).text)).toContain('echo: after refresh'), { timeout: 10_000 });
    expect(streamErrors).toEqual([]);
    client.end();
  });

  it('starts a conversation once per token and reconnects to it', async () => {
    const session = (await call('POST', '/chat/token', { body: {} })).json();
    const first = await call('POST', '/v3/directline/conversations', { token: session.token, body: { user: {} } });
    const again = await call('POST', '/v3/directline/conversations', { token: session.token });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json().conversationId).toBe(first.json().conversationId);
    const reconnect = await call('GET', `/v3/directline/conversations/${session.conversationId}?watermark=`, { token: session.token });
    expect(reconnect.status).toBe(200);
    expect(reconnect.json()).toMatchObject({ conversationId: session.conversationId, token: expect.any(String), expires_in: TTL });
    expect(first.headers.get('cache-control')).toBe('no-store');
  });

  it('answers poll and post before a slow bot turn ends', async () => {
    const chat = await startChat();
    let release!: () => void;
    held = new Promise<void>((resolve) => (release = resolve));
    const posted = await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, body: say('hold') });
    expect(posted.status).toBe(200); // the turn is still waiting on `held`
    expect((await stored(chat.conversationId)).map((activity) => activity.text)).toEqual(['hold']);
    release();
    await vi.waitFor(async () => expect((await stored(chat.conversationId)).map((activity) => activity.text)).toEqual(['hold', 'echo: hold']));
  });

  it('logs a failed bot turn without the message and never shows it to the client', async () => {
    const chat = await startChat();
    const posted = await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, body: say('fail: my chest hurts') });
    expect(posted.status).toBe(200);
    await vi.waitFor(() => expect(logLines.some((line) => line.includes('web chat bot turn failed'))).toBe(true));
    const failure = logLines.find((line) => line.includes('web chat bot turn failed'))!;
    expect(failure).toContain(chat.conversationId);
    expect(failure).not.toContain('chest');
    const polled = await call('GET', `/v3/directline/conversations/${chat.conversationId}/activities?watermark=1`, { token: chat.token });
    expect(polled.json()).toEqual({ activities: [], watermark: '1' });
  });
});

describe('tokens', () => {
  it('refuses forged, foreign-secret, malformed and missing tokens with 403 in the error shape', async () => {
    const chat = await startChat();
    const [payload, signature] = chat.token.split('.') as [string, string];
    const otherClaims = Buffer.from(JSON.stringify({ conversationId: chat.conversationId, patientId: 'p-999', exp: 9_999_999_999 })).toString('base64url');
    const forged = [
      `${otherClaims}.${signature}`,
      `${payload}.${signature.slice(0, -2)}AA`,
      signDirectLineToken('another-secret-another-secret-another', { conversationId: chat.conversationId }, TTL, clock.now()),
      createChatLink(SECRET, 'p-1', 1, clock.now()), // a patient link is not a Direct Line token
      'not-a-token',
      undefined,
    ];
    for (const token of forged) {
      const res = await call('GET', `/v3/directline/conversations/${chat.conversationId}/activities`, { token });
      expect(res.status).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect((await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: forged[0], body: say('hi') })).status).toBe(403);
    expect((await call('POST', '/v3/directline/tokens/refresh', { token: forged[1] })).status).toBe(403);
    expect(await stored(chat.conversationId)).toEqual([]);
  });

  it("refuses conversation A's token on conversation B", async () => {
    const [a, b] = [await startChat(), await startChat()];
    expect((await call('GET', `/v3/directline/conversations/${b.conversationId}/activities`, { token: a.token })).status).toBe(403);
    expect((await call('POST', `/v3/directline/conversations/${b.conversationId}/activities`, { token: a.token, body: say('hi') })).status).toBe(403);
    expect((await call('GET', `/v3/directline/conversations/${b.conversationId}`, { token: a.token })).status).toBe(403);
    expect(await stored(b.conversationId)).toEqual([]);
  });

  it('refuses an expired token everywhere, refresh included', async () => {
    const chat = await startChat();
    clock.advance((TTL + 1) * 1000);
    for (const [method, path] of [['GET', `/v3/directline/conversations/${chat.conversationId}/activities`], ['POST', '/v3/directline/tokens/refresh'], ['POST', '/v3/directline/conversations']]) {
      const res = await call(method!, path!, { token: chat.token });
      expect(res.status).toBe(403);
      expect(res.json().error.message).toMatch(/expired/);
    }
  });

  it('generates tokens only for the derived Direct Line secret, not WEBCHAT_SECRET itself', async () => {
    for (const token of [SECRET, 'dls_wrong', undefined]) expect((await call('POST', '/v3/directline/tokens/generate', { token })).status).toBe(403);
  });

  it('answers 404 for a validly signed token whose conversation does not exist', async () => {
    const conversationId = 'never-started-conversation-1';
    const token = signDirectLineToken(SECRET, { conversationId }, TTL, clock.now());
    expect((await call('GET', `/v3/directline/conversations/${conversationId}/activities`, { token })).status).toBe(404);
    expect((await call('POST', `/v3/directline/conversations/${conversationId}/activities`, { token, body: say('hi') })).status).toBe(404);
    expect((await call('GET', `/v3/directline/conversations/${conversationId}`, { token })).json().error.code).toBe('not_found');
  });
});

describe('hostile input', () => {
  it.each([
    ['malformed JSON', { raw: '{"type": "message", "text": "hi",' }, /JSON/],
    ['text as a number', { body: say(42) }, /activity/],
    ['an operator instead of text', { raw: '{"type":"message","text":{"$gt":""}}' }, /\$/],
    ['an operator key in channelData', { body: { ...say('hi'), channelData: { $where: 'sleep(1000)' } } }, /\$/],
    ['an unknown activity type', { body: { ...say('hi'), type: 'conversationUpdate' } }, /type/],
    ['the sender claiming to be the bot', { body: { ...say('hi'), from: { id: 'careloop', role: 'bot' } } }, /activity/],
    ['an attachment', { body: { ...say('hi'), attachments: [{ contentType: 'image/png', contentUrl: 'http://x' }] } }, /activity/],
    ['an empty message', { body: say('   ') }, /text/],
    ['5,000 characters of text', { body: say('x'.repeat(5_000)) }, /activity/],
    ['no body', {}, /JSON/],
  ])('answers %s with 400 and stores nothing', async (_label, request, message) => {
    const chat = await startChat();
    const before = turns.length;
    const res = await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, ...request });
    expect(res.status).toBe(400);
    expect(res.json().error.code).toMatch(/^(bad_request|validation_failed)$/);
    expect(res.text).toMatch(message); // the reason, in the message or in details.issues
    expect(await stored(chat.conversationId)).toEqual([]);
    expect(turns.length).toBe(before);
  });

  it('answers 50 KB of text with 413 and stores nothing', async () => {
    const chat = await startChat();
    const res = await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, body: say('x'.repeat(50_000)) });
    expect(res.status).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await stored(chat.conversationId)).toEqual([]);
  });

  it.each(['watermark[$gt]=', 'watermark=abc', 'watermark=1&since=0', 'watermark=-1'])('answers the query %s with 400', async (query) => {
    const chat = await startChat();
    expect((await call('GET', `/v3/directline/conversations/${chat.conversationId}/activities?${query}`, { token: chat.token })).status).toBe(400);
  });

  it('accepts typing without storing it or running the bot; stores events and runs them', async () => {
    const chat = await startChat();
    const before = turns.length;
    expect((await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, body: { type: 'typing', from: { id: 'r_visitor' } } })).status).toBe(200);
    expect(await stored(chat.conversationId)).toEqual([]);
    const event = { type: 'event', name: 'webchat/join', value: { language: 'es' }, from: { id: 'r_visitor' }, id: 'client-chosen', serviceUrl: 'http://evil' };
    expect((await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, body: event })).status).toBe(200);
    const [storedEvent] = await stored(chat.conversationId);
    expect(storedEvent).toMatchObject({ type: 'event', name: 'webchat/join', value: { language: 'es' }, id: `${chat.conversationId}|0000001` });
    expect(storedEvent).not.toHaveProperty('serviceUrl');
    await vi.waitFor(() => expect(turns.length).toBe(before + 1));
  });
});

describe('patient links', () => {
  const patientTurn = async (link?: string) => {
    const chat = await startChat(link);
    await call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token: chat.token, body: say('my pills') });
    await vi.waitFor(() => expect(turns.some((turn) => turn.conversationId === chat.conversationId)).toBe(true));
    return { chat, turn: turns.find((turn) => turn.conversationId === chat.conversationId)! };
  };

  it('carries the patient from a valid link to the bot and the conversation', async () => {
    const { chat, turn } = await patientTurn(createChatLink(SECRET, 'p-123', 72, clock.now()));
    expect(chat.linkStatus).toBe('linked');
    expect(turn.identity).toEqual({ patientId: 'p-123' });
    expect((await store.get(chat.conversationId))?.patientId).toBe('p-123');
  });

  it.each([
    ['tampered', () => createChatLink(SECRET, 'p-123', 72, clock.now()).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['expired', () => createChatLink(SECRET, 'p-123', 1, new Date(clock.now().getTime() - 2 * 3_600_000))],
    ['signed with another secret', () => createChatLink('another-secret-another-secret-another', 'p-123', 72, clock.now())],
    ['a Direct Line token instead', () => signDirectLineToken(SECRET, { conversationId: 'some-conversation-id-1', patientId: 'p-123' }, TTL, clock.now())],
  ])('continues anonymously when the link is %s', async (_label, link) => {
    const { chat, turn } = await patientTurn(link());
    expect(chat.linkStatus).toBe('expired');
    expect(turn.identity).toEqual({});
    expect((await store.get(chat.conversationId))?.patientId).toBeUndefined();
  });
});

describe('patient session lifetime', () => {
  const REFRESH_EVERY = 15 * 60_000; // what Direct Line clients do
  const refresh = (token: string) => call('POST', '/v3/directline/tokens/refresh', { token });
  const post = (chat: { conversationId: string }, token: string, text: string) =>
    call('POST', `/v3/directline/conversations/${chat.conversationId}/activities`, { token, body: say(text) });
  const identityOf = async (conversationId: string, text: string) => {
    await vi.waitFor(() => expect(turns.some((turn) => turn.conversationId === conversationId && turn.activity.text === text)).toBe(true));
    return turns.find((turn) => turn.conversationId === conversationId && turn.activity.text === text)!.identity;
  };

  /** Refreshes every 15 minutes until refused; returns the tokens issued and the refusal. */
  async function refreshUntilRefused(token: string, limit: number) {
    const issued = [{ token, at: clock.now().getTime() }];
    for (let i = 0; i < limit; i++) {
      clock.advance(REFRESH_EVERY);
      const res = await refresh(issued.at(-1)!.token);
      if (res.status !== 200) return { issued, refused: res, refusedAt: clock.now().getTime() };
      issued.push({ token: res.json().token, at: clock.now().getTime() });
    }
    return { issued, refused: undefined, refusedAt: undefined };
  }

  it('refreshes a linked session until its maximum, then ends it everywhere, never as anonymous', async () => {
    const chat = await startChat(createChatLink(SECRET, 'p-700', 72, clock.now()));
    const end = clock.now().getTime() + SESSION_MAX_HOURS * 3_600_000;
    const issued = [chat.token];
    while (clock.now().getTime() + REFRESH_EVERY < end) {
      clock.advance(REFRESH_EVERY);
      const res = await refresh(issued.at(-1)!);
      expect(res.status).toBe(200);
      // A token never outlives the session: the last ones are shorter than the usual lifetime.
      expect(res.json().expires_in).toBe(Math.min(TTL, (end - clock.now().getTime()) / 1000));
      issued.push(res.json().token);
    }
    expect(issued).toHaveLength(SESSION_MAX_HOURS * 4); // the first token and a refresh every 15 minutes, all under the limit

    // One second before the end the chat is still the patient's...
    clock.advance(end - clock.now().getTime() - 1_000);
    expect((await post(chat, issued.at(-1)!, 'still me')).status).toBe(200);
    expect(await identityOf(chat.conversationId, 'still me')).toEqual({ patientId: 'p-700' });

    // ...and at the end no token of it works for anything: no refresh, no reconnect, no anonymous carry-on.
    clock.advance(1_000);
    const refused = await refresh(issued.at(-1)!);
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ error: { code: 'forbidden', message: expect.stringMatching(/session ended/) } });
    for (const token of issued) {
      expect((await post(chat, token, 'after the end')).status).toBe(403);
      expect((await refresh(token)).status).toBe(403);
      expect((await call('GET', `/v3/directline/conversations/${chat.conversationId}/activities`, { token })).status).toBe(403);
      expect((await call('GET', `/v3/directline/conversations/${chat.conversationId}`, { token })).status).toBe(403);
      expect((await call('POST', '/v3/directline/conversations', { token })).status).toBe(403);
    }
    // Nothing sent after the end was stored (the bot's answer to 'still me' may still be arriving).
    expect((await stored(chat.conversationId)).filter((activity) => activity.text === 'after the end')).toEqual([]);
  });

  it('ends a linked session when its link expires, if that comes first', async () => {
    const link = createChatLink(SECRET, 'p-702', 1, clock.now());
    clock.advance(30 * 60_000); // the patient opens it half an hour before it expires
    const chat = await startChat(link);
    const linkExpiry = clock.now().getTime() + 30 * 60_000;
    const { issued, refused, refusedAt } = await refreshUntilRefused(chat.token, 100);
    expect(issued.at(-1)!.at).toBeLessThan(linkExpiry);
    expect(refusedAt).toBe(linkExpiry);
    expect(refused!.json().error.message).toMatch(/session ended/);
  });

  it('keeps refreshing anonymous sessions as before, past any patient session limit', async () => {
    const chat = await startChat();
    const day = 24 * 3_600_000;
    const { issued, refused } = await refreshUntilRefused(chat.token, day / REFRESH_EVERY);
    expect(refused).toBeUndefined();
    expect(issued).toHaveLength(day / REFRESH_EVERY + 1);
    const res = await refresh(issued.at(-1)!.token);
    expect(res.json().expires_in).toBe(TTL);
    expect((await post(chat, issued.at(-1)!.token, 'a day later')).status).toBe(200);
    expect(await identityOf(chat.conversationId, 'a day later')).toEqual({});
  });

  it('refuses a patient token that carries no session end (signed before session limits)', async () => {
    const chat = await startChat();
    const token = signDirectLineToken(SECRET, { conversationId: chat.conversationId, patientId: 'p-703' }, TTL, clock.now());
    expect((await refresh(token)).status).toBe(403);
    expect((await post(chat, token, 'hi')).status).toBe(403);
  });
});

describe('store on the real database', () => {
  it('keeps every activity, numbered without gaps, when two instances append to one conversation at once', async () => {
    const other = await mongoose.createConnection(mongoUri(), { dbName, maxPoolSize: 10 }).asPromise();
    try {
      const second = new MongoDirectLineStore(other, clock);
      const conversationId = 'concurrent-conversation-1';
      expect(await store.create(conversationId)).toBe(true);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? second : store).append(conversationId, { type: 'message', text: `m${i}`, from: { id: 'u', role: 'user' } })),
      );
      expect(new Set(results.map((result) => result.watermark)).size).toBe(40);
      for (const reader of [store, second, new MongoDirectLineStore(other, clock)]) {
        const page = (await reader.since(conversationId, 0))!;
        expect(page.activities.map((activity) => Number(activity.id.split('|')[1]))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(new Set(page.activities.map((activity) => activity.text))).toEqual(new Set(Array.from({ length: 40 }, (_, i) => `m${i}`)));
        expect(page.watermark).toBe(40);
      }
      expect((await second.since(conversationId, 25))!.activities.map((activity) => activity.id)).toEqual(results.filter((r) => r.watermark > 25).map((r) => r.id).sort());
    } finally {
      await other.close();
    }
  });
});

describe('chat page', () => {
  it('serves the page with a strict CSP, the clinic name escaped and the emergency line', async () => {
    const res = await call('GET', '/chat?link=%3Cscript%3Ealert(1)%3C/script%3E');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.text).toContain('<title>Chat with Riverside &lt;Clinic&gt;</title>');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text.replace(/<[^>]+>/g, '')).toContain('In an emergency call 911');
    expect(res.text).not.toContain('alert(1)');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script at all
    expect(res.text).toMatch(/<script src="\/chat\/webchat\.js\?v=[0-9a-f]+" defer><\/script>/);
  });

  it('serves the official Web Chat bundle with a long cache, gzipped on request, and our app script', async () => {
    const bundle = readFileSync(webChatBundlePath());
    const raw = await app.inject({ method: 'GET', url: '/chat/webchat.js' });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^text\/javascript/);
    expect(raw.headers['cache-control']).toContain('max-age=31536000');
    expect(raw.rawPayload.equals(bundle)).toBe(true);
    const gzipped = await app.inject({ method: 'GET', url: '/chat/webchat.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).equals(bundle)).toBe(true);
    const appJs = await call('GET', '/chat/app.js');
    expect(appJs.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(appJs.text).toContain("webSocket: false");
    expect(appJs.text).toContain("'/chat/token'");
  });
});
