import type { QuietHours } from '../messaging/quiet-hours.js';
import type { DoseRecord } from './doses.js';
import type { MedicationPlan, PlanInput } from './plan.js';

export type NewMedicationPlan = PlanInput & { patientId: string };

/** Storage for medication plans. Plans are never deleted: ending one sets `endedAt`. */
export interface MedicationPlanRepository {
  create(plan: NewMedicationPlan): Promise<MedicationPlan>;
  get(id: string): Promise<MedicationPlan | undefined>;
  /** The plans with these ids, in no particular order (a batch of reminders). */
  getMany(ids: readonly string[]): Promise<MedicationPlan[]>;
  /** The patient's plans, oldest first. */
  listForPatient(patientId: string): Promise<MedicationPlan[]>;
  /** Sets the plan's fields to exactly these (optional fields not given are removed). */
  replace(id: string, fields: PlanInput): Promise<MedicationPlan | undefined>;
  end(id: string, at: Date): Promise<MedicationPlan | undefined>;
  /**
   * Every plan not ended, with its patient's zone and whether the patient is active (plans of a patient that no
   * longer exists are left out). A constant number of queries, whatever the number of plans: the materialiser's read.
   */
  listActive(): Promise<ActivePlan[]>;
}

/** A plan not ended, with what scheduling its doses needs of its patient. */
export interface ActivePlan {
  plan: MedicationPlan;
  patient: { id: string; timeZone: string; active: boolean; quietHours: QuietHours | null };
}

export type NewDose = Omit<DoseRecord, 'status' | 'history' | 'remindedAt' | 'answeredAt' | 'snoozedUntil'>;

/**
 * Storage for dose records, keyed by the slot key. Creating is an insert under that key, so a dose is
 * recorded once however many instances schedule it. Reads and updates go by key (the cheap path on FerretDB).
 */
export interface DoseRepository {
  /** Records the doses not recorded yet (status `scheduled`); returns the ones this call created. */
  createMissing(doses: NewDose[], at: Date): Promise<DoseRecord[]>;
  get(key: string): Promise<DoseRecord | undefined>;
  /** The doses recorded under these keys, in no particular order; unknown keys are left out. */
  getMany(keys: readonly string[]): Promise<DoseRecord[]>;
  /** Applies a status change and appends it to the dose's history. */
  update(key: string, changes: Partial<DoseRecord> & { status: DoseRecord['status'] }, at: Date): Promise<DoseRecord | undefined>;
  /** The patient's doses whose slot is in [from, to). */
  forPatient(patientId: string, from: Date, to: Date): Promise<DoseRecord[]>;
  /** Reminded or snoozed doses with a slot before `before`, oldest first, at most `limit`. */
  awaitingBefore(before: Date, limit: number): Promise<DoseRecord[]>;
  /** The plan's doses still `scheduled` (no reminder yet) with a slot at or after `from`. */
  scheduledFrom(planId: string, from: Date): Promise<DoseRecord[]>;
  /** Removes these doses if they are still `scheduled`: future slots a changed or ended plan no longer has. */
  removeScheduled(keys: readonly string[]): Promise<number>;
}
