import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server.js';
import { testConfig } from './db.js';
import { freePort } from './port.js';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const OUR_NUMBER = '+15550009999';

/** A fake Twilio for the file, closed after it. */
export async function fakeTwilio(): Promise<FakeTwilio> {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  afterAll(() => fake.close());
  return fake;
}

/**
 * A listening CareLoop wired to the fake Twilio: real HTTP, real twilio library, real database.
 * Instances given the same `dbName` share one database, as two deployed instances would.
 */
export async function startSmsApp(fake: FakeTwilio, options: { dbName?: string; env?: Record<string, string> } = {}) {
  const port = await freePort();
  const config = testConfig({
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: OUR_NUMBER,
    TWILIO_API_BASE_URL: fake.url,
    CLINIC_NAME: 'Riverside Clinic',
    CLINIC_PHONE: '+15550001234',
    QUIET_HOURS: '00:00-00:00',
    ...(options.dbName ? { MONGODB_DB_NAME: options.dbName } : {}),
    ...options.env,
  });
  const app: RunningApp = await startApp(config, createLogger('silent'));
  afterAll(() => app.stop());
  const inboundUrl = `${app.url}/sms/inbound`;
  const drain = () => app.server.conversations.runtime.drain();
  const createAdminKey = async () => (await new ApiKeyService(app.db.repositories.apiKeys, systemClock).create({ name: 'sms test', role: 'admin' }, 'test')).key;
  let adminKey: Promise<string> | undefined;
  const text = (from: string, body: string, extra: { messageSid?: string; media?: { url: string; contentType: string }[] } = {}) => {
    const params = fake.inboundParams({ from, to: OUR_NUMBER, body, messageSid: extra.messageSid ?? newMessageSid(), media: extra.media });
    return fake.postInbound(inboundUrl, params).then((res) => ({ ...res, messageSid: params.MessageSid! }));
  };
  return {
    app,
    config,
    inboundUrl,
    /** Posts a correctly signed inbound SMS, as Twilio would. */
    text,
    /** Waits until every turn in flight has finished (replies sent). */
    drain,
    /** The admin key of this app (created once). */
    adminKey: () => (adminKey ??= createAdminKey()),
    /** Calls the admin API with the admin key; a 4xx or 5xx answer fails the test. */
    async admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
      const res = await fetch(`${app.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${await (adminKey ??= createAdminKey())}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    /** Texts as the patient, waits for the turn, and returns the bodies CareLoop sent them in that turn. */
    async say(phone: string, body: string): Promise<string[]> {
      const before = fake.messages.filter((m) => m.to === phone).length;
      const res = await text(phone, body);
      if (res.status !== 200) throw new Error(`inbound webhook answered ${res.status}`);
      await drain();
      return fake.messages.filter((m) => m.to === phone).slice(before).map((m) => m.body);
    },
  };
}

export const newMessageSid = () => `SM${randomBytes(16).toString('hex')}`;
