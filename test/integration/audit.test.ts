import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit/chain.js';
import { systemClock } from '../../src/lib/clock.js';
import { openDatabase } from '../../src/store/database.js';
import { createCareTeam, samplePatient, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin: string;
let clinician: string;
let teamId: string;

beforeAll(async () => {
  api = await testApi();
  [admin, clinician] = await Promise.all([api.keyFor('admin'), api.keyFor('clinician')]);
  teamId = await createCareTeam(api, admin);
});

const allEvents = async () => {
  const events: AuditEvent[] = [];
  for await (const event of api.db.repositories.audit.events()) events.push(event);
  return events;
};
const verify = () => api.db.repositories.audit.verify();

describe('audit trail', () => {
  it('records every read and write of patient data, with who, what, which patient and the outcome', async () => {
    const patient = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone: '+15551240001' }))).json();
    await api.call(clinician, 'GET', `/api/v1/patients/${patient.id}`);
    await api.call(clinician, 'PATCH', `/api/v1/patients/${patient.id}`, { name: 'Not allowed' });
    await api.call(undefined, 'GET', `/api/v1/patients/${patient.id}`);
    await api.call(clinician, 'GET', `/api/v1/patients?phone=${encodeURIComponent('+15551240001')}`);

    const events = (await allEvents()).filter((event) => event.patientIds.includes(patient.id));
    const adminId = admin.split('_')[1];
    const clinicianId = clinician.split('_')[1];
    expect(events.map((e) => [e.action, e.outcome, e.status, e.actor.keyId ?? e.actor.kind])).toEqual([
      ['patient.create', 'success', 201, adminId],
      ['patient.read', 'success', 200, clinicianId],
      ['patient.update', 'denied', 403, clinicianId],
      ['patient.read', 'denied', 401, 'anonymous'],
      ['patient.list', 'success', 200, clinicianId],
    ]);
    // Every event is signed with the audit key, named by its id.
    expect(events.every((event) => event.macKeyId === api.db.auditKey.id && /^[0-9a-f]{64}$/.test(event.mac ?? ''))).toBe(true);
    // Audit events carry ids, never the phone number or the name.
    const raw = JSON.stringify(await api.db.models.AuditEvent.find({}).lean());
    expect(raw).not.toContain('+15551240001');
    expect(raw).not.toContain('Ana Diaz');
  });

  it('verifies, through the API and the repository, and detects an altered event', async () => {
    expect((await verify()).ok).toBe(true);
    const viaApi = (await api.call(admin, 'GET', '/api/v1/audit-events/verify')).json();
    expect(viaApi).toMatchObject({ ok: true, checked: expect.any(Number) });

    const target = (await allEvents()).find((event) => event.outcome === 'denied')!;
    await auditCollection().updateOne({ _id: target.seq }, { $set: { outcome: 'success' } });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAt: target.seq });
    expect(result.reason).toMatch(/altered/);
    await auditCollection().updateOne({ _id: target.seq }, { $set: { outcome: 'denied' } });
    expect((await verify()).ok).toBe(true);
  });

  it('detects a deleted event in the middle and events cut from the end', async () => {
    const events = await allEvents();
    const middle = events[Math.floor(events.length / 2)]!;
    const collection = auditCollection();
    await collection.deleteOne({ _id: middle.seq });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: middle.seq });
    await collection.insertOne(toDoc(middle));
    expect((await verify()).ok).toBe(true);

    const last = events.at(-1)!;
    expect((await api.db.repositories.audit.head())!.seq).toBe(last.seq);
    await collection.deleteOne({ _id: last.seq });
    expect(await verify()).toMatchObject({ ok: false, reason: expect.stringContaining(`event ${last.seq} was recorded`) });
    await collection.insertOne(toDoc(last));
    expect((await verify()).ok).toBe(true);
  });

  it('keeps one unbroken chain when two processes append at the same time', async () => {
    // A second connection (as a second CareLoop instance would have) on the same database.
    const other = await openDatabase({ ...api.dbConfig }, { clock: systemClock });
    try {
      const entry = (n: number) => ({ at: new Date(), actor: { kind: 'system' as const }, action: `test.${n}`, outcome: 'success' as const, patientIds: [] });
      const before = (await api.db.repositories.audit.head())!.seq;
      await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 ? other : api.db).repositories.audit.append(entry(n))));
      const after = (await api.db.repositories.audit.head())!.seq;
      expect(after - before).toBe(40);
      expect(await verify()).toMatchObject({ ok: true, checked: after });
    } finally {
      await other.close();
    }
  });
});

/** The raw collection, as someone with database access (not the API) would tamper with it. */
const auditCollection = () => api.db.connection.collection<{ _id: number } & Record<string, unknown>>('auditevents');

function toDoc(event: AuditEvent): { _id: number } & Record<string, unknown> {
  const { seq, ...rest } = event;
  return { _id: seq, ...rest };
}
