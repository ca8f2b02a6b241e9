import { beforeAll, describe, expect, it } from 'vitest';
import { createCareTeam, samplePatient, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin: string;
let clinician: string;
let teamId: string;
let patientId: string;

beforeAll(async () => {
  api = await testApi({ env: { BODY_LIMIT_BYTES: '4096', RATE_LIMIT_PER_MINUTE: '1000' } });
  [admin, clinician] = await Promise.all([api.keyFor('admin'), api.keyFor('clinician')]);
  teamId = await createCareTeam(api, admin);
  patientId = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId))).json().id;
});

const patientCount = async () => (await api.db.models.Patient.countDocuments({})) as number;

describe('authentication and roles', () => {
  it('answers 401 without a key, with a malformed key and with a wrong secret', async () => {
    const forged = `${admin.slice(0, -4)}AAAA`;
    for (const key of [undefined, 'not-a-key', forged]) {
      const res = await api.call(key, 'GET', `/api/v1/patients/${patientId}`);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
      expect(res.json().error.code).toBe('unauthorized');
      expect(res.body).not.toContain('Ana Diaz');
    }
  });

  it('answers 403 to a clinician on an admin-only route and changes nothing', async () => {
    const before = await api.call(admin, 'GET', '/api/v1/care-teams');
    const res = await api.call(clinician, 'POST', '/api/v1/care-teams', { name: 'Sneaky', timeZone: 'UTC' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('admin') });
    expect((await api.call(admin, 'GET', '/api/v1/care-teams')).json().items).toHaveLength(before.json().items.length);
    expect((await api.call(clinician, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551239999' }))).statusCode).toBe(403);
  });

  it('stops accepting a key once it is revoked', async () => {
    const key = await api.keyFor('integration');
    const id = key.split('_')[1];
    expect((await api.call(key, 'GET', '/api/v1/patients')).statusCode).toBe(200);
    expect((await api.call(admin, 'DELETE', `/api/v1/api-keys/${id}`)).json()).toMatchObject({ id, revokedAt: expect.any(String) });
    expect((await api.call(key, 'GET', '/api/v1/patients')).statusCode).toBe(401);
  });

  it('shows a new key once and stores only its hash', async () => {
    const res = await api.call(admin, 'POST', '/api/v1/api-keys', { name: 'EHR bridge', role: 'integration' });
    expect(res.statusCode).toBe(201);
    const { key, id } = res.json();
    expect(key).toMatch(/^clk_/);
    const stored = await api.db.models.ApiKey.findById(id).lean();
    expect(JSON.stringify(stored)).not.toContain(key.split('_')[2]);
    const listed = (await api.call(admin, 'GET', '/api/v1/api-keys')).body;
    expect(listed).not.toContain(key.split('_')[2]);
    expect(listed).not.toContain('secretHash');
  });
});

describe('hostile input', () => {
  it.each([
    ['phone operator in a body', { phone: { $gt: '' } }],
    ['name operator in a body', { name: { $ne: null } }],
    ['careTeamId operator in a body', { careTeamId: { $regex: '.*' } }],
    ['consent with an operator', { consent: { sms: { $gt: '' } } }],
  ])('rejects %s with 400 and stores nothing', async (_label, override) => {
    const before = await patientCount();
    const res = await api.call(admin, 'POST', '/api/v1/patients', { ...samplePatient(teamId, { phone: '+15551238888' }), ...override });
    expect(res.statusCode).toBe(400);
    expect(await patientCount()).toBe(before);
  });

  it.each([
    '/api/v1/patients?phone[$gt]=',
    '/api/v1/patients?phone%5B%24gt%5D=',
    '/api/v1/patients?name[$regex]=.*',
    '/api/v1/patients?careTeamId[$ne]=x',
    '/api/v1/patients?phone=%2B15551230001&phone=%2B15551230002',
    '/api/v1/patients?limit=-1',
    '/api/v1/patients?cursor[$gt]=0',
  ])('rejects the query string %s with 400 and returns no patient', async (url) => {
    const res = await api.call(admin, 'GET', url);
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('Ana Diaz');
  });

  it('rejects operator injection in a PATCH and leaves the patient as it was', async () => {
    const res = await api.call(admin, 'PATCH', `/api/v1/patients/${patientId}`, { phone: { $gt: '' }, name: 'Changed' });
    expect(res.statusCode).toBe(400);
    expect((await api.call(admin, 'GET', `/api/v1/patients/${patientId}`)).json().name).toBe('Ana Diaz');
  });

  it('answers malformed JSON, an oversized body and a wrong content type with 4xx and a reason', async () => {
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    const malformed = await api.server.inject({ method: 'POST', url: '/api/v1/patients', headers, payload: '{"name": "Ana",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toMatch(/JSON/);

    const oversized = await api.server.inject({ method: 'POST', url: '/api/v1/patients', headers, payload: JSON.stringify({ ...samplePatient(teamId), name: 'x'.repeat(10_000) }) });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json().error.code).toBe('payload_too_large');

    const text = await api.server.inject({ method: 'POST', url: '/api/v1/patients', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    for (const res of [malformed, oversized, text]) expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await api.call(admin, 'GET', '/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('rate limiting', () => {
  it('limits each key on its own budget', async () => {
    const limited = await testApi({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const [first, second] = await Promise.all([limited.keyFor('clinician'), limited.keyFor('clinician')]);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.call(first, 'GET', '/api/v1/care-teams')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const blocked = await limited.call(first, 'GET', '/api/v1/care-teams');
    expect(blocked.json().error.code).toBe('rate_limited');
    expect((await limited.call(second, 'GET', '/api/v1/care-teams')).statusCode).toBe(200);
  });
});
