import mongoose, { type Model } from 'mongoose';
import type { Page, PageRequest } from '../../domain/common.js';
import type { ConsentRecord } from '../../domain/consent/consent.js';
import type { ConsentLog, NewPatient, Patient, PatientFilter, PatientRepository } from '../../domain/patients/ports.js';
import { bulkUpdateById, lookUpEach } from '../bulk.js';
import type { Models } from '../models.js';
import { findPage, statusFilter, withId } from '../paging.js';
import type { MongoContactDirectory } from './contacts.js';

type PatientDoc = Omit<Patient, 'id'> & { _id: unknown };

const toPatient = (doc: PatientDoc): Patient => {
  const patient = withId(doc) as Patient;
  return { ...patient, consent: patient.consent ?? {} };
};

/**
 * Patients. An active patient's phone number is claimed in the contact directory (unique by _id), which
 * keeps numbers unique among active patients and lets the inbound SMS path find a patient without a scan.
 * Without transactions the order matters: claim first, then write the patient, and release on failure.
 */
export class MongoPatientRepository implements PatientRepository {
  private readonly model: Model<PatientDoc>;
  constructor(models: Models, private readonly contacts: MongoContactDirectory) {
    this.model = models.Patient as unknown as Model<PatientDoc>;
  }

  async create(patient: NewPatient): Promise<Patient> {
    const _id = new mongoose.Types.ObjectId();
    await this.contacts.claim('sms', patient.phone, String(_id));
    try {
      const doc = await this.model.create({ _id, ...patient, active: true });
      return toPatient(doc.toObject() as PatientDoc);
    } catch (err) {
      await this.contacts.release('sms', patient.phone, String(_id));
      throw new Error('creating a patient', { cause: err });
    }
  }

  async get(id: string): Promise<Patient | undefined> {
    const doc = (await this.model.findById(id).lean()) as PatientDoc | null;
    return doc ? toPatient(doc) : undefined;
  }

  getMany(ids: readonly string[]): Promise<Patient[]> {
    return lookUpEach(ids, (id) => this.get(id));
  }

  async markDoseAsked(ids: readonly string[], at: Date): Promise<void> {
    await bulkUpdateById(this.model, ids.map((id) => ({ id, set: { doseAskedAt: at } })));
  }

  async findByPhone(phone: string): Promise<Patient | undefined> {
    const patientId = await this.contacts.holder('sms', phone);
    return patientId ? this.get(patientId) : undefined;
  }

  async update(id: string, changes: Partial<NewPatient>): Promise<Patient | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const newPhone = changes.phone && changes.phone !== current.phone && current.active ? changes.phone : undefined;
    if (newPhone) await this.contacts.claim('sms', newPhone, id);
    const doc = (await this.model.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' }).lean()) as PatientDoc | null;
    if (newPhone) await this.contacts.release('sms', current.phone, id);
    return doc ? toPatient(doc) : undefined;
  }

  async setActive(id: string, active: boolean): Promise<Patient | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    if (active) await this.contacts.claim('sms', current.phone, id);
    const doc = (await this.model.findByIdAndUpdate(id, { $set: { active } }, { returnDocument: 'after' }).lean()) as PatientDoc | null;
    if (!active) await this.contacts.release('sms', current.phone, id);
    return doc ? toPatient(doc) : undefined;
  }

  async list(filter: PatientFilter, page: PageRequest): Promise<Page<Patient>> {
    const query: Record<string, unknown> = { ...statusFilter(filter.status) };
    if (filter.careTeamId) query.careTeamId = filter.careTeamId;
    if (filter.phone) query.phone = filter.phone;
    if (filter.name) query.name = new RegExp(escapeRegExp(filter.name), 'i');
    return findPage(this.model, query, page, toPatient);
  }
}

export class MongoConsentLog implements ConsentLog {
  constructor(private readonly models: Models) {}

  async append(records: ConsentRecord[]): Promise<void> {
    if (records.length > 0) await this.models.ConsentRecord.insertMany(records);
  }

  async history(patientId: string): Promise<ConsentRecord[]> {
    const docs = await this.models.ConsentRecord.find({ patientId }).sort({ at: 1, _id: 1 }).lean();
    return docs.map(({ _id, ...record }) => record as ConsentRecord);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
