import type { QuietHours } from '../../domain/messaging/quiet-hours.js';
import mongoose, { type Model } from 'mongoose';
import type { DoseRecord } from '../../domain/medication/doses.js';
import type { MedicationPlan, PlanInput } from '../../domain/medication/plan.js';
import type { ActivePlan, DoseRepository, MedicationPlanRepository, NewDose, NewMedicationPlan } from '../../domain/medication/ports.js';
import { trusted, type Models } from '../models.js';
import { withId } from '../paging.js';
import { lookUpEach } from '../bulk.js';
import { insertNew } from '../duplicate.js';

type PlanDoc = Omit<MedicationPlan, 'id'> & { _id: unknown };
type DoseDoc = Omit<DoseRecord, 'key'> & { _id: string };

const OPTIONAL_PLAN_FIELDS = ['daysOfWeek', 'everyNDays', 'endDate', 'instructions', 'caregiver'] as const;

/** The stored plan without the empty values mongoose leaves (an empty array, null). */
function toPlan(doc: PlanDoc): MedicationPlan {
  const plan = withId(doc) as MedicationPlan & Record<string, unknown>;
  for (const field of [...OPTIONAL_PLAN_FIELDS, 'endedAt'] as const) if (plan[field] === null || plan[field] === undefined) delete plan[field];
  return plan;
}

function toDose({ _id, ...doc }: DoseDoc & { createdAt?: Date; updatedAt?: Date }): DoseRecord {
  const { createdAt: _created, updatedAt: _updated, ...fields } = doc;
  return { key: _id, ...fields, history: fields.history ?? [] };
}

export class MongoMedicationPlanRepository implements MedicationPlanRepository {
  private readonly model: Model<PlanDoc>;
  constructor(private readonly models: Models) {
    this.model = models.MedicationPlan as unknown as Model<PlanDoc>;
  }

  async create(plan: NewMedicationPlan): Promise<MedicationPlan> {
    const doc = await this.model.create({ _id: new mongoose.Types.ObjectId(), ...plan });
    return toPlan(doc.toObject() as PlanDoc);
  }

  async get(id: string): Promise<MedicationPlan | undefined> {
    const doc = (await this.model.findById(id).lean()) as PlanDoc | null;
    return doc ? toPlan(doc) : undefined;
  }

  getMany(ids: readonly string[]): Promise<MedicationPlan[]> {
    return lookUpEach(ids, (id) => this.get(id));
  }

  async listForPatient(patientId: string): Promise<MedicationPlan[]> {
    const docs = (await this.model.find({ patientId }).sort({ _id: 1 }).lean()) as PlanDoc[];
    return docs.map(toPlan);
  }

  async replace(id: string, fields: PlanInput): Promise<MedicationPlan | undefined> {
    const unset = Object.fromEntries(OPTIONAL_PLAN_FIELDS.filter((field) => fields[field] === undefined).map((field) => [field, 1]));
    const update = { $set: fields, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
    const doc = (await this.model.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean()) as PlanDoc | null;
    return doc ? toPlan(doc) : undefined;
  }

  async end(id: string, at: Date): Promise<MedicationPlan | undefined> {
    const doc = (await this.model.findByIdAndUpdate(id, { $set: { endedAt: at } }, { returnDocument: 'after' }).lean()) as PlanDoc | null;
    return doc ? toPlan(doc) : undefined;
  }

  /** Two queries: the plans not ended, then their patients' zones in one $in (a scan each on FerretDB, not one per plan). */
  async listActive(): Promise<ActivePlan[]> {
    const plans = ((await this.model.find({ endedAt: trusted({ $exists: false }) }).sort({ _id: 1 }).lean()) as PlanDoc[]).map(toPlan);
    if (plans.length === 0) return [];
    const patientIds = [...new Set(plans.map((plan) => plan.patientId))];
    const patients = await this.models.Patient.find({ _id: trusted({ $in: patientIds }) }).select({ timeZone: 1, active: 1, quietHours: 1 }).lean();
    const byId = new Map(patients.map((patient) => [String(patient._id), { id: String(patient._id), timeZone: String(patient.timeZone), active: patient.active !== false, quietHours: (patient.quietHours as QuietHours | null | undefined) ?? null }]));
    return plans.flatMap((plan) => {
      const patient = byId.get(plan.patientId);
      return patient ? [{ plan, patient }] : [];
    });
  }
}

/**
 * Doses by slot key. Updates read the dose and write it by _id, the one cheap path on FerretDB (a filter on
 * _id and status would be matched by a scan, and is not atomic there anyway): events for one dose come one at
 * a time (the patient's conversation queue, the scheduler's job for the slot).
 */
export class MongoDoseRepository implements DoseRepository {
  private readonly model: Model<DoseDoc>;
  constructor(models: Models) {
    this.model = models.Dose as unknown as Model<DoseDoc>;
  }

  async createMissing(doses: NewDose[], at: Date): Promise<DoseRecord[]> {
    const docs = doses.map(({ key, ...dose }) => ({ _id: key, ...dose, status: 'scheduled' as const, history: [{ status: 'scheduled' as const, at }] }));
    const created = await insertNew(this.model, docs, 'recording scheduled doses');
    return docs.filter((doc) => created.has(doc._id)).map(toDose);
  }

  async get(key: string): Promise<DoseRecord | undefined> {
    const doc = (await this.model.findById(key).lean()) as DoseDoc | null;
    return doc ? toDose(doc) : undefined;
  }

  getMany(keys: readonly string[]): Promise<DoseRecord[]> {
    return lookUpEach(keys, (key) => this.get(key));
  }

  async update(key: string, changes: Partial<DoseRecord> & { status: DoseRecord['status'] }, at: Date): Promise<DoseRecord | undefined> {
    const { key: _key, history: _history, ...fields } = changes;
    const doc = (await this.model
      .findByIdAndUpdate(key, { $set: fields, $push: { history: { status: changes.status, at } } }, { returnDocument: 'after' })
      .lean()) as DoseDoc | null;
    return doc ? toDose(doc) : undefined;
  }

  async forPatient(patientId: string, from: Date, to: Date): Promise<DoseRecord[]> {
    const docs = (await this.model.find({ patientId, at: trusted({ $gte: from, $lt: to }) }).sort({ at: 1, _id: 1 }).lean()) as DoseDoc[];
    return docs.map(toDose);
  }

  async awaitingBefore(before: Date, limit: number): Promise<DoseRecord[]> {
    const docs = (await this.model.find({ status: trusted({ $in: ['reminded', 'snoozed'] }), at: trusted({ $lt: before }) }).sort({ at: 1, _id: 1 }).limit(limit).lean()) as DoseDoc[];
    return docs.map(toDose);
  }

  async scheduledFrom(planId: string, from: Date): Promise<DoseRecord[]> {
    const docs = (await this.model.find({ planId, status: 'scheduled', at: trusted({ $gte: from }) }).lean()) as DoseDoc[];
    return docs.map(toDose);
  }

  async removeScheduled(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return (await this.model.deleteMany({ _id: trusted({ $in: [...keys] }), status: 'scheduled' })).deletedCount;
  }
}
