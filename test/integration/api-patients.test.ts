import { beforeAll, describe, expect, it } from 'vitest';
import { createCareTeam, samplePatient, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin: string;
let integration: string;
let clinician: string;
let teamId: string;

beforeAll(async () => {
  api = await testApi();
  [admin, integration, clinician] = await Promise.all([api.keyFor('admin'), api.keyFor('integration'), api.keyFor('clinician')]);
  teamId = await createCareTeam(api, admin);
});

describe('patients API', () => {
  it('enrolls a patient and reads it back with the contract field names', async () => {
    const created = await api.call(integration, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230010' }));
    expect(created.statusCode).toBe(201);
    const patient = created.json();
    expect(patient).toMatchObject({ name: 'Ana Diaz', phone: '+15551230010', timeZone: 'America/New_York', language: 'es', dateOfBirth: '1958-04-12', careTeamId: teamId, consent: { sms: true, webchat: false }, active: true });
    expect(patient.id).toMatch(/^[0-9a-f]{24}$/);

    const read = await api.call(clinician, 'GET', `/api/v1/patients/${patient.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(patient);
  });

  it('names the field of a bad phone number, time zone or date of birth', async () => {
    for (const [field, value] of [['phone', '555-1234'], ['timeZone', 'Mars/Olympus'], ['dateOfBirth', '2999-01-01'], ['language', '!!']] as const) {
      const res = await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230020', [field]: value }));
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
    }
  });

  it('rejects unknown fields, a missing body and a care team that does not exist', async () => {
    expect((await api.call(admin, 'POST', '/api/v1/patients', { ...samplePatient(teamId), ssn: '123' })).statusCode).toBe(400);
    expect((await api.call(admin, 'POST', '/api/v1/patients')).statusCode).toBe(400);
    const ghostTeam = await api.call(admin, 'POST', '/api/v1/patients', samplePatient('0123456789abcdef01234567', { phone: '+15551230030' }));
    expect(ghostTeam.statusCode).toBe(422);
    expect(ghostTeam.json().error.details).toEqual({ field: 'careTeamId' });
  });

  it('answers 409 for a phone number an active patient already has, and frees it on deactivation', async () => {
    const first = await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230040' }));
    expect(first.statusCode).toBe(201);
    const duplicate = await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230040', name: 'Other' }));
    expect(duplicate.statusCode).toBe(409);

    const deactivated = await api.call(admin, 'POST', `/api/v1/patients/${first.json().id}/deactivate`);
    expect(deactivated.json()).toMatchObject({ active: false, phone: '+15551230040' });
    const again = await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230040', name: 'New owner' }));
    expect(again.statusCode).toBe(201);
    // Reactivating the first would take the number back from its new owner: refused.
    expect((await api.call(admin, 'POST', `/api/v1/patients/${first.json().id}/reactivate`)).statusCode).toBe(409);
  });

  it('changes only the fields sent, and records consent changes per channel and purpose', async () => {
    const id = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230050' }))).json().id;
    const patched = await api.call(integration, 'PATCH', `/api/v1/patients/${id}`, { language: 'en', consent: { webchat: { granted: true, purposes: ['education'] } } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ language: 'en', name: 'Ana Diaz', consent: { sms: true, webchat: true } });
    expect((await api.call(admin, 'PATCH', `/api/v1/patients/${id}`, {})).statusCode).toBe(400);

    const consent = (await api.call(clinician, 'GET', `/api/v1/patients/${id}/consent`)).json();
    expect(consent.current.webchat).toMatchObject({ granted: true, purposes: ['education'] });
    expect(consent.current.sms.purposes).toContain('medication_reminders');
    const webchatRecords = consent.history.filter((record: { channel: string }) => record.channel === 'webchat');
    const education = webchatRecords.filter((record: { purpose: string }) => record.purpose === 'education');
    expect(education.map((record: { granted: boolean }) => record.granted)).toEqual([false, true]); // refused at enrollment, then granted
    expect(webchatRecords.every((record: { source: string }) => record.source.startsWith('api:'))).toBe(true);
  });

  it('answers 404 for an unknown patient and 400 for a malformed id', async () => {
    expect((await api.call(admin, 'GET', '/api/v1/patients/0123456789abcdef01234567')).statusCode).toBe(404);
    expect((await api.call(admin, 'PATCH', '/api/v1/patients/0123456789abcdef01234567', { name: 'X' })).statusCode).toBe(404);
    expect((await api.call(admin, 'GET', '/api/v1/patients/not-an-id')).statusCode).toBe(400);
  });

  it('lists with filters and walks every page by cursor exactly once', async () => {
    const otherTeam = await createCareTeam(api, admin, 'Surgery');
    const phones = Array.from({ length: 7 }, (_, i) => `+1555999000${i}`);
    for (const phone of phones) {
      expect((await api.call(admin, 'POST', '/api/v1/patients', samplePatient(otherTeam, { phone, name: `Walker ${phone.slice(-1)}` }))).statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.call(clinician, 'GET', `/api/v1/patients?careTeamId=${otherTeam}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((p: { phone: string }) => p.phone));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(phones);

    const byPhone = (await api.call(clinician, 'GET', `/api/v1/patients?phone=${encodeURIComponent(phones[2]!)}`)).json();
    expect(byPhone.items.map((p: { phone: string }) => p.phone)).toEqual([phones[2]]);
    const byName = (await api.call(clinician, 'GET', '/api/v1/patients?name=walker%204')).json();
    expect(byName.items).toHaveLength(1);
    expect((await api.call(clinician, 'GET', '/api/v1/patients?limit=1000')).statusCode).toBe(400);
  });

  it('lists deactivated patients only when asked', async () => {
    const id = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551230060', name: 'Gone Soon' }))).json().id;
    await api.call(admin, 'POST', `/api/v1/patients/${id}/deactivate`);
    const active = (await api.call(admin, 'GET', '/api/v1/patients?name=gone%20soon')).json();
    const inactive = (await api.call(admin, 'GET', '/api/v1/patients?name=gone%20soon&status=inactive')).json();
    expect(active.items).toHaveLength(0);
    expect(inactive.items.map((p: { id: string }) => p.id)).toEqual([id]);
  });
});
