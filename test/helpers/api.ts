import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import { buildContainer } from '../../src/app/container.js';
import type { Role } from '../../src/domain/auth/keys.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { buildServer } from '../../src/http/server.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openTestDatabase } from './db.js';

/** A server on a fresh database, driven with fastify's inject (real routing, hooks and database). */
export async function testApi(options: { clock?: Clock; env?: Record<string, string> } = {}) {
  const clock = options.clock ?? systemClock;
  const { db, config } = await openTestDatabase({ clock, env: options.env });
  const container = buildContainer({ config, logger: createLogger('silent'), db, clock });
  const server = await buildServer(container, { version: 'test' });
  afterAll(() => server.close());
  const keys = new ApiKeyService(db.repositories.apiKeys, clock);

  const keyFor = async (role: Role) => (await keys.create({ name: `${role} test key`, role }, 'test')).key;
  const call = (key: string | undefined, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse> =>
    server.inject({
      method,
      url,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
  return { server, db, container, dbConfig: config, clock, keyFor, call };
}

export type TestApi = Awaited<ReturnType<typeof testApi>>;

/** A care team to enroll patients into. */
export async function createCareTeam(api: TestApi, adminKey: string, name = 'Cardiology'): Promise<string> {
  const res = await api.call(adminKey, 'POST', '/api/v1/care-teams', { name, timeZone: 'America/New_York' });
  if (res.statusCode !== 201) throw new Error(`creating care team: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

export const samplePatient = (careTeamId: string, overrides: Record<string, unknown> = {}) => ({
  name: 'Ana Diaz',
  phone: '+15551230001',
  timeZone: 'America/New_York',
  language: 'es',
  dateOfBirth: '1958-04-12',
  careTeamId,
  consent: { sms: true, webchat: false },
  ...overrides,
});

export type { FastifyInstance };
