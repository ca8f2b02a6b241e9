import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildContainer } from '../../src/app/container.js';
import type { AuditEvent } from '../../src/domain/audit/chain.js';
import type { Role } from '../../src/domain/auth/keys.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { buildServer } from '../../src/http/server.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { openTestDatabase } from '../helpers/db.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, newMessageSid, OUR_NUMBER } from '../helpers/sms.js';

const PUBLIC_BASE_URL = 'https://careloop.example.org';
const BUDGET = 20; // AUTH_FAILURES_PER_MINUTE's default
const clock = fixedClock(new Date('2026-03-02T15:00:00Z'));
/** A well-formed key that names no stored key: each one costs a lookup unless the budget refuses it first. */
const wrongKey = (n: number) => `clk_${n.toString(16).padStart(16, '0')}_${'A'.repeat(43)}`;

let fake: FakeTwilio;
let app: Awaited<ReturnType<typeof hardenedServer>>;

/** A server on a fresh database with a fixed clock, wired to the fake Twilio, its log lines kept in `logs`. */
async function hardenedServer(env: Record<string, string> = {}) {
  const { db, config } = await openTestDatabase({
    clock,
    env: { PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '00:00-00:00', ...env },
  });
  const logs: { level: number; msg: string; reason?: string }[] = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) });
  const server = await buildServer(buildContainer({ config, logger, db, clock }), { version: 'test' });
  afterAll(() => server.close()); // before openTestDatabase's afterAll drops the database: hooks run in reverse
  const keys = new ApiKeyService(db.repositories.apiKeys, clock);
  const keyFor = async (role: Role) => (await keys.create({ name: `${role} key`, role }, 'test')).key;
  const call = (key: string | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, remoteAddress = '192.0.2.10') =>
    server.inject({ method, url, remoteAddress, headers: key ? { authorization: `Bearer ${key}` } : {} });
  /** Audit events appended by `action`, in order. */
  const auditedDuring = async (action: () => Promise<unknown>): Promise<AuditEvent[]> => {
    const before = (await db.repositories.audit.head())?.seq ?? 0;
    await action();
    const events: AuditEvent[] = [];
    for await (const event of db.repositories.audit.events()) if (event.seq > before) events.push(event);
    return events;
  };
  return { server, db, logs, keyFor, call, auditedDuring };
}

beforeAll(async () => {
  fake = await fakeTwilio();
  app = await hardenedServer();
});

const statusCounts = (responses: LightMyRequestResponse[]) =>
  responses.reduce<Record<number, number>>((counts, res) => ({ ...counts, [res.statusCode]: (counts[res.statusCode] ?? 0) + 1 }), {});

/** Sends `count` requests, 50 at a time, as a flood would. */
async function flood(count: number, send: (n: number) => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse[]> {
  const responses: LightMyRequestResponse[] = [];
  for (let start = 0; start < count; start += 50) {
    responses.push(...(await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, i) => send(start + i)))));
  }
  return responses;
}

function postWebhook(params: Record<string, string>, remoteAddress: string, signature?: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature ?? fake.sign(`${PUBLIC_BASE_URL}/sms/inbound`, params);
  return app.server.inject({ method: 'POST', url: '/sms/inbound', remoteAddress, headers, payload: new URLSearchParams(params).toString() });
}

describe('Twilio webhooks under a flood of forged ones', () => {
  it('accepts and stores a signed webhook from the flooding address, which also still gets a chat token', async () => {
    const flooder = '198.51.100.7';
    const forged = (n: number) => {
      const params = fake.inboundParams({ from: '+15557770001', to: OUR_NUMBER, body: `forged ${n}`, messageSid: newMessageSid() });
      // Missing, made-up, and a real signature over other fields.
      const signatures = [null, 'bm90IGEgc2lnbmF0dXJl', fake.sign(`${PUBLIC_BASE_URL}/sms/inbound`, { ...params, Body: 'something else' })];
      return postWebhook(params, flooder, signatures[n % 3]);
    };
    const logsBefore = app.logs.length;
    const responses = await flood(1000, forged);

    expect(statusCounts(responses)).toEqual({ 403: BUDGET, 429: 1000 - BUDGET });
    const throttled = responses.find((res) => res.statusCode === 429)!;
    expect(throttled.json().error.code).toBe('rate_limited');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(await app.db.models.Message.countDocuments({ direction: 'inbound' })).toBe(0);
    // Logs stay bounded: two lines for each 403 within the budget, one warning when throttling starts, none after.
    const floodLogs = app.logs.slice(logsBefore);
    expect(floodLogs.filter((line) => line.msg === 'throttling a client')).toHaveLength(1);
    expect(floodLogs.length).toBeLessThanOrEqual(2 * BUDGET + 1);

    const messageSid = newMessageSid();
    const signed = await postWebhook(fake.inboundParams({ from: '+15557770002', to: OUR_NUMBER, body: 'hello', messageSid }), flooder);
    expect(signed.statusCode).toBe(200);
    await app.server.conversations.runtime.drain();
    expect(await app.db.models.Message.findById(`sms:${messageSid}`).lean()).toMatchObject({ direction: 'inbound', address: '+15557770002' });

    const chat = await app.server.inject({ method: 'POST', url: '/chat/token', remoteAddress: flooder, payload: {} });
    expect(chat.statusCode).toBe(200);
    expect(chat.json().token).toEqual(expect.any(String));
    // Another address has a budget of its own.
    expect((await postWebhook({ MessageSid: newMessageSid() }, '198.51.100.8', 'bad')).statusCode).toBe(403);
  });

  it('keeps one budget per route for anonymous callers: a flood of one route leaves the others alone', async () => {
    const limited = await hardenedServer({ RATE_LIMIT_PER_MINUTE: '5' });
    const address = '198.51.100.20';
    const unknown = await flood(20, () => limited.server.inject({ method: 'GET', url: '/no-such-page', remoteAddress: address }));
    expect(statusCounts(unknown)).toEqual({ 404: 5, 429: 15 });
    expect(unknown.at(-1)!.json().error.code).toBe('rate_limited');
    const tokens = await flood(7, () => limited.server.inject({ method: 'POST', url: '/chat/token', remoteAddress: address, payload: {} }));
    expect(statusCounts(tokens)).toEqual({ 200: 5, 429: 2 });
    // The windows follow the server's clock: a minute later the address has its budget back.
    clock.advance(60_000);
    expect((await limited.server.inject({ method: 'POST', url: '/chat/token', remoteAddress: address, payload: {} })).statusCode).toBe(200);
    // Signed webhooks are never limited per address (Twilio posts from a shared pool).
    const webhooks = await flood(8, () => postWebhook(fake.inboundParams({ from: '+15557770003', to: OUR_NUMBER, body: 'hi', messageSid: newMessageSid() }), address));
    expect(webhooks.map((res) => res.statusCode)).toEqual(Array(8).fill(200));
    await limited.server.conversations.runtime.drain();
  });
});

describe('wrong and missing API keys', () => {
  it('throttles 1,000 bad keys from one address with 429s, no lookups past the budget, and budget + 1 audit events', async () => {
    const clinician = await app.keyFor('clinician');
    const lookups = vi.spyOn(app.db.repositories.apiKeys, 'get');
    const attacker = '203.0.113.50';
    let responses: LightMyRequestResponse[] = [];
    let duringFlood: LightMyRequestResponse | undefined;
    const events = await app.auditedDuring(async () => {
      [responses, duringFlood] = await Promise.all([
        flood(1000, (n) => app.call(n % 10 === 0 ? undefined : wrongKey(n), 'GET', '/api/v1/care-teams', attacker)),
        app.call(clinician, 'GET', '/api/v1/care-teams', '192.0.2.77'),
      ]);
    });

    expect(statusCounts(responses)).toEqual({ 401: BUDGET, 429: 1000 - BUDGET });
    expect(responses.filter((res) => res.statusCode === 429).every((res) => Number(res.headers['retry-after']) > 0)).toBe(true);
    // The valid key from elsewhere was served during the flood.
    expect(duringFlood!.statusCode).toBe(200);
    // Keys are looked up only until the budget is used up (and for the guesses already in flight then: one batch).
    const guessLookups = () => lookups.mock.calls.filter(([id]) => id !== clinician.split('_')[1]).length;
    expect(guessLookups()).toBeLessThanOrEqual(BUDGET + 50);
    const fromAttacker = events.filter((event) => event.actor.kind === 'anonymous');
    expect(fromAttacker).toHaveLength(BUDGET + 1);
    expect(fromAttacker.filter((event) => event.status === 401)).toHaveLength(BUDGET);
    expect(fromAttacker.find((event) => event.status === 429)).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining(attacker) });
    // Past the budget, a guess costs no lookup at all.
    const lookupsBefore = guessLookups();
    for (let n = 0; n < 20; n++) expect((await app.call(wrongKey(5000 + n), 'GET', '/api/v1/care-teams', attacker)).statusCode).toBe(429);
    expect(guessLookups()).toBe(lookupsBefore);
    lookups.mockRestore();

    // The attacker's address is refused even with a valid key until the minute is over; then it starts afresh.
    expect((await app.call(clinician, 'GET', '/api/v1/care-teams', attacker)).statusCode).toBe(429);
    clock.advance(60_000);
    expect((await app.call(clinician, 'GET', '/api/v1/care-teams', attacker)).statusCode).toBe(200);
    const nextWindow = await app.auditedDuring(() => flood(100, (n) => app.call(wrongKey(n), 'GET', '/api/v1/care-teams', attacker)));
    expect(nextWindow).toHaveLength(BUDGET + 1);
  });

  it('limits a valid key that keeps sending forbidden requests like any other, and audits it boundedly', async () => {
    const limited = await hardenedServer({ RATE_LIMIT_PER_MINUTE: '5' });
    const clinician = await limited.keyFor('clinician');
    let responses: LightMyRequestResponse[] = [];
    const events = await limited.auditedDuring(async () => {
      responses = await flood(30, () => limited.server.inject({ method: 'POST', url: '/api/v1/care-teams', headers: { authorization: `Bearer ${clinician}` }, payload: { name: 'X', timeZone: 'UTC' } }));
    });
    expect(statusCounts(responses)).toEqual({ 403: 5, 429: 25 });
    expect(events.map((event) => event.status).sort()).toEqual([403, 403, 403, 403, 403, 429]);
    expect(await limited.db.models.CareTeam.countDocuments({})).toBe(0);
  });
});

describe('every request under /api/v1 is answered in our shape and audited', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await app.keyFor('admin');
  });

  it.each([
    ['an unknown path', 'GET', '/api/v1/nothing-here'],
    ['an id over the router limit', 'GET', `/api/v1/patients/${'a'.repeat(300)}`],
    ['a method no route has', 'PUT', '/api/v1/patients'],
    ['the bare prefix', 'DELETE', '/api/v1'],
  ] as const)('%s: 404 for a valid key, audited with the key', async (_label, method, url) => {
    let res: LightMyRequestResponse | undefined;
    const events = await app.auditedDuring(async () => (res = await app.call(admin, method, url)));
    expect(res!.statusCode).toBe(404);
    expect(res!.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining(`no route ${method} /api/v1`) } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'api.unmatched', outcome: 'rejected', status: 404, actor: { kind: 'api_key', role: 'admin' } });
  });

  it('answers an unknown path or over-long id without a key with 401, audited as anonymous', async () => {
    for (const url of ['/api/v1/nothing-here', `/api/v1/staff/${'b'.repeat(300)}`]) {
      let res: LightMyRequestResponse | undefined;
      const events = await app.auditedDuring(async () => (res = await app.call(undefined, 'GET', url, '192.0.2.31')));
      expect(res!.statusCode).toBe(401);
      expect(res!.json().error.code).toBe('unauthorized');
      expect(events.map((event) => [event.action, event.actor.kind, event.status])).toEqual([['api.unmatched', 'anonymous', 401]]);
    }
  });

  it('answers a URL the router refuses in our shape, audited under /api/v1, and bounded by the failure budget', async () => {
    let res: LightMyRequestResponse | undefined;
    const events = await app.auditedDuring(async () => (res = await app.call(admin, 'GET', '/api/v1/patients/%E0%A4%A', '192.0.2.32')));
    expect(res!.statusCode).toBe(400);
    expect(res!.json()).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(/percent-encoding/) } });
    expect(events.map((event) => [event.action, event.status])).toEqual([['api.unmatched', 400]]);

    const outside = await app.call(undefined, 'GET', `/v3/directline/conversations/${'c'.repeat(300)}`, '192.0.2.32');
    expect(outside.statusCode).toBe(414);
    expect(outside.json().error.code).toBe('uri_too_long');

    let flooded: LightMyRequestResponse[] = [];
    const floodEvents = await app.auditedDuring(async () => (flooded = await flood(200, () => app.call(undefined, 'GET', '/api/v1/%E0%A4%A', '192.0.2.33'))));
    expect(statusCounts(flooded)).toEqual({ 400: BUDGET, 429: 200 - BUDGET });
    expect(flooded.at(-1)!.json().error.code).toBe('rate_limited');
    expect(floodEvents).toHaveLength(BUDGET + 1);
  });

  it('bounds what a flood of unknown paths adds to the audit trail: the failure budget without a key, the rate limit with one', async () => {
    const anonymous = await app.auditedDuring(() => flood(300, (n) => app.call(undefined, 'GET', `/api/v1/probe-${n}`, '192.0.2.40')));
    expect(anonymous).toHaveLength(BUDGET + 1);

    const limited = await hardenedServer({ RATE_LIMIT_PER_MINUTE: '5' });
    const key = await limited.keyFor('integration');
    let responses: LightMyRequestResponse[] = [];
    const withKey = await limited.auditedDuring(async () => (responses = await flood(100, (n) => limited.call(key, 'GET', `/api/v1/probe-${n}`))));
    expect(statusCounts(responses)).toEqual({ 404: 5, 429: 95 });
    expect(withKey.map((event) => event.status).sort()).toEqual([404, 404, 404, 404, 404, 429]);
  });
});
