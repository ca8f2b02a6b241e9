import { beforeAll, describe, expect, it } from 'vitest';
import { createCareTeam, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin: string;
let clinician: string;

beforeAll(async () => {
  api = await testApi();
  [admin, clinician] = await Promise.all([api.keyFor('admin'), api.keyFor('clinician')]);
});

const nurse = (careTeamId: string, overrides: Record<string, unknown> = {}) => ({
  name: 'Nurse Kim',
  phone: '+15557770001',
  role: 'nurse',
  careTeamId,
  notificationChannels: [{ type: 'sms', address: '+15557770001' }, { type: 'teams', address: 'https://example.webhook.office.com/hook' }],
  ...overrides,
});

describe('care teams and staff', () => {
  it('creates, reads, changes, lists and deactivates a care team', async () => {
    const id = await createCareTeam(api, admin, 'Orthopedics');
    expect((await api.call(clinician, 'GET', `/api/v1/care-teams/${id}`)).json()).toMatchObject({ id, name: 'Orthopedics', active: true });
    const changed = await api.call(admin, 'PATCH', `/api/v1/care-teams/${id}`, { description: 'Knee and hip' });
    expect(changed.json()).toMatchObject({ name: 'Orthopedics', description: 'Knee and hip' });
    await api.call(admin, 'POST', `/api/v1/care-teams/${id}/deactivate`);
    const active = (await api.call(clinician, 'GET', '/api/v1/care-teams')).json().items.map((t: { id: string }) => t.id);
    const all = (await api.call(clinician, 'GET', '/api/v1/care-teams?status=all')).json().items.map((t: { id: string }) => t.id);
    expect(active).not.toContain(id);
    expect(all).toContain(id);
    expect((await api.call(admin, 'POST', '/api/v1/care-teams', { name: 'Bad', timeZone: 'Nowhere/Land' })).statusCode).toBe(400);
  });

  it('adds staff with notification channels to an active care team only', async () => {
    const teamId = await createCareTeam(api, admin, 'Cardiology');
    const created = await api.call(admin, 'POST', '/api/v1/staff', nurse(teamId));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'nurse', careTeamId: teamId, notificationChannels: [{ type: 'sms' }, { type: 'teams' }] });

    const listed = (await api.call(clinician, 'GET', `/api/v1/staff?careTeamId=${teamId}&role=nurse`)).json();
    expect(listed.items.map((s: { id: string }) => s.id)).toEqual([created.json().id]);

    // A change without notificationChannels keeps them.
    const renamed = await api.call(admin, 'PATCH', `/api/v1/staff/${created.json().id}`, { name: 'Nurse Kim Lee' });
    expect(renamed.json().notificationChannels).toHaveLength(2);

    const ghost = await api.call(admin, 'POST', '/api/v1/staff', nurse('0123456789abcdef01234567'));
    expect(ghost.statusCode).toBe(422);
    const badChannel = await api.call(admin, 'POST', '/api/v1/staff', nurse(teamId, { notificationChannels: [{ type: 'slack', address: 'http://insecure' }] }));
    expect(badChannel.statusCode).toBe(400);
    const badRole = await api.call(admin, 'POST', '/api/v1/staff', nurse(teamId, { role: 'wizard' }));
    expect(badRole.statusCode).toBe(400);
    expect((await api.call(clinician, 'POST', '/api/v1/staff', nurse(teamId))).statusCode).toBe(403);
  });
});

describe('service endpoints', () => {
  it('serves health and an OpenAPI document generated from the route schemas', async () => {
    expect((await api.server.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await api.server.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const doc = (await api.server.inject({ url: '/docs' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/v1/patients'].post;
    expect(create.security).toEqual([{ apiKey: [] }]);
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['name', 'phone', 'timeZone', 'dateOfBirth', 'careTeamId']));
    expect(body.properties.phone.pattern).toBeDefined();
    expect(body.additionalProperties).toBe(false);
    expect(doc.paths['/api/v1/patients/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/api/v1/staff'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['careTeamId', 'role', 'limit', 'cursor']));
  });
});
