import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.js';
import { createCareTeam, samplePatient, testApi, type TestApi } from '../helpers/api.js';

// Tuesday 2025-06-10 12:00 in New York.
const clock = fixedClock(new Date('2025-06-10T16:00:00Z'));
let api: TestApi;
let admin: string;
let integration: string;
let clinician: string;
let patientId: string;
let otherPatientId: string;

beforeAll(async () => {
  api = await testApi({ clock });
  [admin, integration, clinician] = await Promise.all([api.keyFor('admin'), api.keyFor('integration'), api.keyFor('clinician')]);
  const teamId = await createCareTeam(api, admin);
  patientId = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551239001' }))).json().id;
  otherPatientId = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551239002' }))).json().id;
});

const plansUrl = (id = patientId) => `/api/v1/patients/${id}/medication-plans`;
const body = (overrides: Record<string, unknown> = {}) => ({ displayName: 'morning pill', dose: '1 tablet', times: ['08:00', '20:00'], startDate: '2025-06-01', ...overrides });
const issues = (res: { json(): unknown }) => (res.json() as { error: { details: { issues: { field: string; message: string }[] } } }).error.details.issues;

describe('medication plans API', () => {
  it('creates, reads, lists, changes and ends a plan', async () => {
    const created = await api.call(integration, 'POST', plansUrl(), body({ daysOfWeek: ['fri', 'mon'], instructions: 'with food', caregiver: { name: 'Maria', phone: '+15559990001', consent: true } }));
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    expect(plan).toMatchObject({
      patientId, displayName: 'morning pill', dose: '1 tablet', times: ['08:00', '20:00'], daysOfWeek: ['mon', 'fri'], startDate: '2025-06-01',
      instructions: 'with food', caregiver: { name: 'Maria', phone: '+15559990001', consent: true }, status: 'active',
    });
    expect(plan.id).toMatch(/^[0-9a-f]{24}$/);

    expect((await api.call(clinician, 'GET', `${plansUrl()}/${plan.id}`)).json()).toEqual(plan);
    expect((await api.call(clinician, 'GET', plansUrl())).json().items.map((item: { id: string }) => item.id)).toContain(plan.id);

    const changed = await api.call(integration, 'PATCH', `${plansUrl()}/${plan.id}`, { times: ['09:00'], daysOfWeek: null, everyNDays: 2, caregiver: null });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ times: ['09:00'], everyNDays: 2, instructions: 'with food' });
    expect(changed.json()).not.toHaveProperty('daysOfWeek');
    expect(changed.json()).not.toHaveProperty('caregiver');

    const ended = await api.call(admin, 'DELETE', `${plansUrl()}/${plan.id}`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ id: plan.id, status: 'ended', endedAt: clock.now().toISOString() });
    expect((await api.call(clinician, 'GET', `${plansUrl()}/${plan.id}`)).json().status).toBe('ended');
    expect((await api.call(clinician, 'GET', plansUrl())).json().items.map((item: { id: string }) => item.id)).not.toContain(plan.id);
    expect((await api.call(clinician, 'GET', `${plansUrl()}?status=ended`)).json().items.map((item: { id: string }) => item.id)).toEqual([plan.id]);
    const late = await api.call(admin, 'PATCH', `${plansUrl()}/${plan.id}`, { dose: '2 tablets' });
    expect(late.statusCode).toBe(409);

    const audited = await api.db.repositories.audit.list({ limit: 100, patientId });
    const planEvents = audited.filter((event) => event.resource?.id === plan.id).map((event) => [event.action, event.outcome]);
    expect(planEvents).toEqual([
      ['medication_plan.create', 'success'], ['medication_plan.read', 'success'], ['medication_plan.update', 'success'], ['medication_plan.end', 'success'],
      ['medication_plan.read', 'success'], ['medication_plan.update', 'rejected'],
    ]);
  });

  it('answers bad plans with 400 naming the field, and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [body({ times: ['20:00', '08:00'] }), 'times'],
      [body({ times: ['08:00', '08:00'] }), 'times'],
      [body({ times: ['8am'] }), 'times.0'],
      [body({ times: [] }), 'times'],
      [body({ daysOfWeek: ['mon'], everyNDays: 2 }), 'everyNDays'],
      [body({ daysOfWeek: ['monday'] }), 'daysOfWeek.0'],
      [body({ endDate: '2025-05-01' }), 'endDate'],
      [body({ startDate: '2025-02-30' }), 'startDate'],
      [body({ displayName: 'x'.repeat(41) }), 'displayName'],
      [body({ caregiver: { name: 'Maria', phone: '555-1234', consent: true } }), 'caregiver.phone'],
      [body({ caregiver: { name: 'Maria', phone: '+15559990001' } }), 'caregiver.consent'],
      [{ ...body(), diagnosis: 'HIV' }, '(root)'],
    ];
    for (const [payload, field] of cases) {
      const res = await api.call(admin, 'POST', plansUrl(otherPatientId), payload);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(issues(res).map((issue) => issue.field), JSON.stringify(payload)).toContain(field);
    }
    expect(issues(await api.call(admin, 'POST', plansUrl(otherPatientId), body({ times: ['20:00', '08:00'] })))[0]!.message).toMatch(/ascending order without repeats/);
    expect((await api.call(admin, 'GET', `${plansUrl(otherPatientId)}?status=all`)).json().items).toEqual([]);
  });

  it('answers 404 for a patient that does not exist and for a plan under another patient; checks roles', async () => {
    const ghost = '0123456789abcdef01234567';
    expect((await api.call(admin, 'POST', plansUrl(ghost), body())).statusCode).toBe(404);
    expect((await api.call(admin, 'GET', plansUrl(ghost))).statusCode).toBe(404);
    expect((await api.call(admin, 'GET', `/api/v1/patients/${ghost}/adherence`)).statusCode).toBe(404);
    const plan = (await api.call(admin, 'POST', plansUrl(), body())).json();
    for (const [method, payload] of [['GET', undefined], ['PATCH', { dose: '2' }], ['DELETE', undefined]] as const) {
      const res = await api.call(admin, method, `${plansUrl(otherPatientId)}/${plan.id}`, payload);
      expect(res.statusCode, method).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await api.call(undefined, 'GET', plansUrl())).statusCode).toBe(401);
    expect((await api.call(clinician, 'POST', plansUrl(), body())).statusCode).toBe(403);
    expect((await api.call(clinician, 'DELETE', `${plansUrl()}/${plan.id}`)).statusCode).toBe(403);
    expect((await api.call(clinician, 'GET', `${plansUrl()}/${plan.id}`)).json().status).toBe('active');
  });

  it('reports adherence over [from, to) with the figures the doses give', async () => {
    const plan = (await api.call(admin, 'POST', plansUrl(), body({ times: ['08:00'], startDate: '2025-06-09' }))).json();
    const repos = api.db.repositories;
    // Two past doses (the 9th and 10th at 08:00 EDT) recorded as the scheduler would have; one taken, one unanswered.
    await repos.doses.createMissing(
      ['2025-06-09', '2025-06-10'].map((localDate) => ({ key: `med:${plan.id}:${localDate}T08:00`, planId: plan.id, patientId, localDate, localTime: '08:00', at: new Date(`${localDate}T12:00:00Z`) })),
      clock.now(),
    );
    await repos.doses.update(`med:${plan.id}:2025-06-09T08:00`, { status: 'taken', answeredAt: clock.now() }, clock.now());
    await repos.doses.update(`med:${plan.id}:2025-06-10T08:00`, { status: 'unconfirmed' }, clock.now());

    const res = await api.call(clinician, 'GET', `/api/v1/patients/${patientId}/adherence?from=2025-06-09&to=2025-06-11`);
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({ from: '2025-06-09T04:00:00.000Z', to: '2025-06-11T04:00:00.000Z', overall: { due: 2, taken: 1, skipped: 0, unconfirmed: 1, rate: 0.5 }, streak: 0 });
    expect(result.plans.find((entry: { planId: string }) => entry.planId === plan.id)).toEqual({ planId: plan.id, displayName: 'morning pill', due: 2, taken: 1, skipped: 0, unconfirmed: 1, rate: 0.5 });

    const narrow = await api.call(clinician, 'GET', `/api/v1/patients/${patientId}/adherence?from=2025-06-09T00:00:00Z&to=2025-06-10T00:00:00Z`);
    expect(narrow.json().overall).toEqual({ due: 1, taken: 1, skipped: 0, unconfirmed: 0, rate: 1 });
    expect((await api.call(clinician, 'GET', `/api/v1/patients/${patientId}/adherence?from=yesterday`)).statusCode).toBe(400);
    expect((await api.call(clinician, 'GET', `/api/v1/patients/${patientId}/adherence?from=2025-06-11&to=2025-06-09`)).statusCode).toBe(400);
    expect((await api.call(clinician, 'GET', `/api/v1/patients/${patientId}/adherence?from=2020-01-01`)).statusCode).toBe(400);
  });
});
