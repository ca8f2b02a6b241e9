import mongoose from 'mongoose';
import type { Container } from '../../src/app/container.js';
import { localDateTime } from '../../src/domain/medication/local-time.js';
import { doseKey } from '../../src/domain/medication/slots.js';

export interface BulkReminders {
  /** The keys of the reminders' messages (`<dose key>:0`), one per patient. */
  messageKeys: string[];
  /** The first patient's phone number: the others follow it (`phonePrefix` + a 6-digit index). */
  firstPhone: string;
}

/**
 * Seeds `count` consented patients (distinct numbers, one zone), each with one daily plan whose dose is at `dueAt`
 * (a whole minute) and that dose's reminder job, due at `dueAt`. The first patient and plan go through the services
 * (so every document has its real shape); the rest are copies of their stored documents (a patient's number claim,
 * the patient, the plan, the dose and its reminder job) inserted 1,000 at a time, so 100,000 take seconds.
 * Call it with the container's clock before `dueAt`'s local day's slot is past for the materialiser.
 */
export async function seedDueReminders(container: Container, options: { count: number; timeZone: string; dueAt: Date; phonePrefix: string }): Promise<BulkReminders> {
  const { models, connection } = container.db;
  if (options.dueAt.getTime() % 60_000 !== 0) throw new Error('dueAt must be a whole minute');
  const { date: localDate, time: localTime } = localDateTime(options.dueAt, options.timeZone);
  const phone = (index: number) => `${options.phonePrefix}${String(index).padStart(6, '0')}`;
  const careTeamId = (await container.careTeams.create({ name: 'Pharmacy', timeZone: options.timeZone })).id;
  const first = await container.patients.create(
    { name: 'Ida Berg', phone: phone(0), timeZone: options.timeZone, language: 'en', dateOfBirth: '1950-05-05', careTeamId, consent: { sms: true } },
    { keyId: 'test', role: 'admin' },
  );
  const plan = await container.medication.create(first.id, { displayName: 'morning pill', dose: '1 tablet', startDate: '2026-01-01', times: [localTime] });
  const firstKey = doseKey(plan.id, localDate, localTime);
  const raw = (name: string) => connection.db!.collection(name);
  const template = {
    claim: (await models.AddressClaim.findOne({ patientId: first.id }).lean()) as Record<string, unknown>,
    patient: (await models.Patient.findById(first.id).lean()) as Record<string, unknown>,
    plan: (await models.MedicationPlan.findById(plan.id).lean()) as Record<string, unknown>,
    dose: await raw('doses').findOne({ _id: firstKey as never }),
    job: await raw('outreachjobs').findOne({ _id: firstKey as never }),
  };
  if (!template.dose || !template.job) throw new Error(`the first plan has no reminder at ${localDate} ${localTime}: is dueAt in the past for the container's clock?`);
  const claimPrefix = String(template.claim._id).slice(0, -phone(0).length);

  const keys = [firstKey];
  for (let start = 1; start < options.count; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, options.count - start) }, (_, offset) => {
      const index = start + offset;
      const patientId = new mongoose.Types.ObjectId();
      const planId = new mongoose.Types.ObjectId();
      const key = doseKey(String(planId), localDate, localTime);
      keys.push(key);
      return { index, patientId, planId, key };
    });
    await models.AddressClaim.insertMany(batch.map(({ index, patientId }) => ({ ...template.claim, _id: `${claimPrefix}${phone(index)}`, patientId: String(patientId) })));
    await models.Patient.insertMany(batch.map(({ index, patientId }) => ({ ...template.patient, _id: patientId, phone: phone(index) })));
    await models.MedicationPlan.insertMany(batch.map(({ patientId, planId }) => ({ ...template.plan, _id: planId, patientId: String(patientId) })));
    await raw('doses').insertMany(batch.map(({ patientId, planId, key }) => ({ ...template.dose, _id: key as never, planId: String(planId), patientId: String(patientId) })));
    await raw('outreachjobs').insertMany(batch.map(({ patientId, planId, key }) => ({ ...template.job, _id: key as never, patientId: String(patientId), payload: { planId: String(planId) } })));
  }
  return { messageKeys: keys.map((key) => `${key}:0`), firstPhone: phone(0) };
}
