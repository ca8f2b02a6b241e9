import type { Model } from 'mongoose';
import type { Page, PageRequest } from '../../domain/common.js';
import type { ConsentRecord } from '../../domain/consent/consent.js';
import type { ConsentLog, NewPatient, Patient, PatientFilter, PatientRepository } from '../../domain/patients/ports.js';
import type { Models } from '../models.js';
import { conflictOnDuplicate, findPage, statusFilter, withId } from '../paging.js';

const DUPLICATE_PHONE = 'an active patient already has this phone number';

type PatientDoc = Omit<Patient, 'id'> & { _id: unknown; phoneKey: string };

const toPatient = (doc: PatientDoc): Patient => {
  const { phoneKey: _phoneKey, ...rest } = withId(doc);
  return { ...rest, consent: rest.consent ?? {} } as Patient;
};

export class MongoPatientRepository implements PatientRepository {
  private readonly model: Model<PatientDoc>;
  constructor(models: Models) {
    this.model = models.Patient as unknown as Model<PatientDoc>;
  }

  async create(patient: NewPatient): Promise<Patient> {
    try {
      const doc = await this.model.create({ ...patient, phoneKey: patient.phone, active: true });
      return toPatient(doc.toObject() as PatientDoc);
    } catch (err) {
      conflictOnDuplicate(err, DUPLICATE_PHONE);
    }
  }

  async get(id: string): Promise<Patient | undefined> {
    const doc = (await this.model.findById(id).lean()) as PatientDoc | null;
    return doc ? toPatient(doc) : undefined;
  }

  async update(id: string, changes: Partial<NewPatient>): Promise<Patient | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const phoneKey = changes.phone && current.active ? { phoneKey: changes.phone } : {};
    try {
      const doc = (await this.model.findByIdAndUpdate(id, { $set: { ...changes, ...phoneKey } }, { returnDocument: 'after' }).lean()) as PatientDoc | null;
      return doc ? toPatient(doc) : undefined;
    } catch (err) {
      conflictOnDuplicate(err, DUPLICATE_PHONE);
    }
  }

  async setActive(id: string, active: boolean): Promise<Patient | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    try {
      const phoneKey = active ? current.phone : `inactive:${id}`;
      const doc = (await this.model.findByIdAndUpdate(id, { $set: { active, phoneKey } }, { returnDocument: 'after' }).lean()) as PatientDoc | null;
      return doc ? toPatient(doc) : undefined;
    } catch (err) {
      conflictOnDuplicate(err, DUPLICATE_PHONE);
    }
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
