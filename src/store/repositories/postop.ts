import mongoose, { type Model } from 'mongoose';
import type {
  CheckInAnswer, CheckInChanges, CheckInRecord, CheckInRepository, Enrolment, EnrolmentRepository, NewEnrolment, ProtocolRepository, StoredProtocol,
} from '../../domain/postop/ports.js';
import type { Protocol } from '../../domain/postop/protocol.js';
import { insertOnce, isDuplicateKey } from '../duplicate.js';
import type { Models } from '../models.js';
import { withId } from '../paging.js';

type ProtocolDoc = { _id: string; protocolId: string; version: number; protocol: Protocol; createdBy: string; createdAt: Date };
type EnrolmentDoc = Omit<Enrolment, 'id'> & { _id: unknown };
type CheckInDoc = Omit<CheckInRecord, 'id'> & { _id: string };

const toStored = (doc: ProtocolDoc): StoredProtocol => ({ protocol: doc.protocol, createdBy: doc.createdBy, createdAt: doc.createdAt });

function toEnrolment(doc: EnrolmentDoc): Enrolment {
  const enrolment = withId(doc) as Enrolment;
  if (!enrolment.endedAt) delete enrolment.endedAt;
  return enrolment;
}

function toCheckIn(doc: CheckInDoc): CheckInRecord {
  const record = withId(doc) as CheckInRecord & Record<string, unknown>;
  for (const field of ['remindedAt', 'finishedAt'] as const) if (record[field] === null || record[field] === undefined) delete record[field];
  return { ...record, answers: record.answers ?? [], facts: record.facts ?? {}, redFlags: record.redFlags ?? [] };
}

/** Protocol versions under `<id>@<version>`; a version, once inserted, is never updated. */
export class MongoProtocolRepository implements ProtocolRepository {
  private readonly model: Model<ProtocolDoc>;
  constructor(models: Models) {
    this.model = models.PostopProtocol as unknown as Model<ProtocolDoc>;
  }

  async insert(protocol: Protocol, createdBy: string, at: Date): Promise<boolean> {
    return insertOnce(this.model, { _id: `${protocol.id}@${protocol.version}`, protocolId: protocol.id, version: protocol.version, protocol, createdBy, createdAt: at }, 'storing a post-op protocol');
  }

  async get(id: string, version: number): Promise<StoredProtocol | undefined> {
    const doc = (await this.model.findById(`${id}@${version}`).lean()) as ProtocolDoc | null;
    return doc ? toStored(doc) : undefined;
  }

  async versions(id: string): Promise<StoredProtocol[]> {
    const docs = (await this.model.find({ protocolId: id }).sort({ version: 1 }).lean()) as ProtocolDoc[];
    return docs.map(toStored);
  }

  async all(): Promise<StoredProtocol[]> {
    const docs = (await this.model.find({}).sort({ protocolId: 1, version: 1 }).lean()) as ProtocolDoc[];
    return docs.map(toStored);
  }
}

/** Enrolments, and each patient's active one held by an insert under the patient id (`postopactive`). */
export class MongoEnrolmentRepository implements EnrolmentRepository {
  private readonly model: Model<EnrolmentDoc>;
  constructor(private readonly models: Models) {
    this.model = models.PostopEnrolment as unknown as Model<EnrolmentDoc>;
  }

  async create(enrolment: NewEnrolment, at: Date): Promise<Enrolment | 'already_enrolled'> {
    const id = new mongoose.Types.ObjectId();
    try {
      await this.models.PostopActive.create({ _id: enrolment.patientId, enrolmentId: String(id) });
    } catch (err) {
      if (isDuplicateKey(err)) return 'already_enrolled';
      throw new Error('holding a post-op enrolment', { cause: err });
    }
    const doc = await this.model.create({ _id: id, ...enrolment, createdAt: at, updatedAt: at });
    return toEnrolment(doc.toObject() as EnrolmentDoc);
  }

  async get(id: string): Promise<Enrolment | undefined> {
    const doc = (await this.model.findById(id).lean()) as EnrolmentDoc | null;
    return doc ? toEnrolment(doc) : undefined;
  }

  async active(patientId: string): Promise<Enrolment | undefined> {
    const hold = await this.models.PostopActive.findById(patientId).lean();
    if (!hold) return undefined;
    const enrolment = await this.get(String(hold.enrolmentId));
    return enrolment && !enrolment.endedAt ? enrolment : undefined;
  }

  async update(id: string, fields: Partial<Pick<Enrolment, 'surgeryDate' | 'procedure'>>, at: Date): Promise<Enrolment | undefined> {
    const doc = (await this.model.findByIdAndUpdate(id, { $set: { ...fields, updatedAt: at } }, { returnDocument: 'after', timestamps: false }).lean()) as EnrolmentDoc | null;
    return doc ? toEnrolment(doc) : undefined;
  }

  async end(id: string, at: Date): Promise<Enrolment | undefined> {
    const doc = (await this.model.findByIdAndUpdate(id, { $set: { endedAt: at, updatedAt: at } }, { returnDocument: 'after', timestamps: false }).lean()) as EnrolmentDoc | null;
    if (!doc) return undefined;
    const ended = toEnrolment(doc);
    // Only this enrolment's hold: a newer enrolment of the same patient keeps its own.
    const hold = await this.models.PostopActive.findById(ended.patientId).lean();
    if (hold && String(hold.enrolmentId) === id) await this.models.PostopActive.deleteOne({ _id: ended.patientId });
    return ended;
  }
}

/** Check-ins by id (`postop:<enrolmentId>:d<day>`): created once when sent, updated by id as answers come. */
export class MongoCheckInRepository implements CheckInRepository {
  private readonly model: Model<CheckInDoc>;
  constructor(models: Models) {
    this.model = models.PostopCheckIn as unknown as Model<CheckInDoc>;
  }

  async create(record: CheckInRecord): Promise<boolean> {
    const { id, ...fields } = record;
    return insertOnce(this.model, { _id: id, ...fields }, 'recording a post-op check-in');
  }

  async get(id: string): Promise<CheckInRecord | undefined> {
    const doc = (await this.model.findById(id).lean()) as CheckInDoc | null;
    return doc ? toCheckIn(doc) : undefined;
  }

  async update(id: string, changes: CheckInChanges, answer?: CheckInAnswer): Promise<CheckInRecord | undefined> {
    const update = { ...(Object.keys(changes).length > 0 ? { $set: changes } : {}), ...(answer ? { $push: { answers: answer } } : {}) };
    const doc = (await this.model.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean()) as CheckInDoc | null;
    return doc ? toCheckIn(doc) : undefined;
  }

  async forPatient(patientId: string): Promise<CheckInRecord[]> {
    const docs = (await this.model.find({ patientId }).sort({ sentAt: 1, _id: 1 }).lean()) as CheckInDoc[];
    return docs.map(toCheckIn);
  }
}
