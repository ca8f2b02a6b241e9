/**
 * Post-op enrolment: a patient enrolled after an operation gets every check-in of the protocol as an outreach
 * job at once (a protocol spans weeks with ~9 days, so there is nothing to materialise later). A changed surgery
 * date, time zone or quiet hours cancels the check-ins still to come and schedules them again; a day already
 * sent is never sent again. Ending the enrolment cancels everything still waiting.
 */
import { z } from 'zod';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import { quietHoursFor, type QuietHours } from '../messaging/quiet-hours.js';
import type { OutreachStore } from '../outreach/ports.js';
import type { Patient, PatientRepository } from '../patients/ports.js';
import type { OutreachJob } from '../outreach/types.js';
import { checkInJobs, firstQuestion, openingText, plannedCheckIns, reminderText, type CheckInPayload, type PlannedCheckIn } from './outreach.js';
import type { CheckInRecord, CheckInRepository, Enrolment, EnrolmentRepository } from './ports.js';
import { DEFAULT_PROTOCOL_ID, type ProtocolService } from './protocols.js';

const surgeryDate = z.iso.date({ error: 'expected the surgery date as YYYY-MM-DD (the patient\'s local date)' });
const procedure = z.string().trim().min(1).max(200);

export const enrolmentInputSchema = z.strictObject({
  /** Staff-facing only: never sent to the patient, never logged. */
  procedure,
  surgeryDate,
  protocolId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a protocol id').optional(),
  /** Where the check-ins go: SMS (default), or web chat where the patient last wrote. */
  channel: z.enum(['sms', 'webchat']).default('sms'),
});
export type EnrolmentInput = z.infer<typeof enrolmentInputSchema>;

export const enrolmentPatchSchema = z
  .strictObject({ procedure: procedure.optional(), surgeryDate: surgeryDate.optional() })
  .refine((patch) => patch.procedure !== undefined || patch.surgeryDate !== undefined, 'send surgeryDate or procedure to change');
export type EnrolmentPatch = z.infer<typeof enrolmentPatchSchema>;

/** One check-in of an enrolment's schedule, as staff see it. */
export interface ScheduledCheckIn extends PlannedCheckIn {
  /** `sent` (see the check-in's own status), `scheduled`, or `not_sent` (its time passed without a send). */
  state: 'sent' | 'scheduled' | 'not_sent';
}

const HORIZON = new Date('2100-01-01T00:00:00Z');

export class PostopService {
  constructor(
    private readonly deps: {
      enrolments: EnrolmentRepository;
      checkIns: CheckInRepository;
      protocols: ProtocolService;
      patients: PatientRepository;
      outreach: OutreachStore;
      clock: Clock;
      /** The deployment's quiet hours; a patient's own replace them. */
      quietHours: QuietHours;
    },
  ) {}

  /** Enrols the patient (one active enrolment each: 409 otherwise) and schedules every check-in to come. */
  async enrol(patientId: string, input: EnrolmentInput): Promise<Enrolment> {
    const patient = await this.patient(patientId);
    if (!patient.active) throw new AppError('conflict', 'this patient is deactivated: reactivate them before enrolling');
    const { protocol } = await this.deps.protocols.get(input.protocolId ?? DEFAULT_PROTOCOL_ID).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? new AppError('validation_failed', `no post-op protocol "${input.protocolId}"`) : err;
    });
    const enrolment = await this.deps.enrolments.create(
      { patientId, procedure: input.procedure, surgeryDate: input.surgeryDate, protocolId: protocol.id, protocolVersion: protocol.version, channel: input.channel },
      this.deps.clock.now(),
    );
    if (enrolment === 'already_enrolled') throw new AppError('conflict', 'this patient is already enrolled for post-op check-ins: change it (PATCH) or end it (DELETE) first');
    await this.schedule(patient, enrolment, new Set());
    return enrolment;
  }

  /** The patient's active enrolment, with its schedule; 404 when there is none. */
  async get(patientId: string): Promise<{ enrolment: Enrolment; schedule: ScheduledCheckIn[] }> {
    const patient = await this.patient(patientId);
    const enrolment = await this.activeOf(patientId);
    const [planned, sent] = await Promise.all([this.planned(patient, enrolment), this.sentOf(enrolment)]);
    const now = this.deps.clock.now();
    const live = new Set((await this.liveJobs(enrolment)).map((job) => (job.payload as unknown as CheckInPayload).day));
    const schedule = planned.map((checkIn): ScheduledCheckIn => ({
      ...checkIn, state: sent.has(checkIn.day) ? 'sent' : live.has(checkIn.day) || checkIn.at > now ? 'scheduled' : 'not_sent',
    }));
    return { enrolment, schedule };
  }

  /** Changes the surgery date (every check-in still to come moves) or the procedure. */
  async update(patientId: string, patch: EnrolmentPatch): Promise<Enrolment> {
    const patient = await this.patient(patientId);
    const current = await this.activeOf(patientId);
    const updated = await this.deps.enrolments.update(current.id, patch, this.deps.clock.now());
    if (!updated) throw notFound('post-op enrolment');
    if (updated.surgeryDate !== current.surgeryDate) await this.reschedule(patient, updated);
    return updated;
  }

  /** Ends the active enrolment now: nothing more is sent; the check-ins so far stay. */
  async end(patientId: string): Promise<Enrolment> {
    await this.patient(patientId);
    const current = await this.activeOf(patientId);
    await this.deps.outreach.cancel((await this.liveJobs(current, true)).map((job) => job.key));
    const ended = await this.deps.enrolments.end(current.id, this.deps.clock.now());
    if (!ended) throw notFound('post-op enrolment');
    return ended;
  }

  /** After the patient's time zone or quiet hours changed: the check-ins to come follow the new settings. */
  async rescheduleForPatient(patientId: string): Promise<{ rescheduled: number }> {
    const patient = await this.patient(patientId);
    const enrolment = await this.deps.enrolments.active(patientId);
    if (!enrolment) return { rescheduled: 0 };
    return { rescheduled: await this.reschedule(patient, enrolment) };
  }

  /** The patient's check-ins (every enrolment), oldest first. */
  async checkIns(patientId: string): Promise<CheckInRecord[]> {
    await this.patient(patientId);
    return this.deps.checkIns.forPatient(patientId);
  }

  /**
   * The outreach preview's texts of post-op jobs, by key: the opening or the reminder with the first question of
   * the enrolment's protocol version that day; null for a missed check (it sends nothing).
   */
  async previewTexts(jobs: OutreachJob[]): Promise<Map<string, string | null>> {
    const texts = new Map<string, string | null>();
    const enrolments = new Map<string, Enrolment | undefined>();
    for (const job of jobs) {
      const payload = job.payload as unknown as CheckInPayload;
      if (payload.step === 'missed') {
        texts.set(job.key, null);
        continue;
      }
      if (!enrolments.has(payload.enrolmentId)) enrolments.set(payload.enrolmentId, await this.deps.enrolments.get(payload.enrolmentId));
      const enrolment = enrolments.get(payload.enrolmentId);
      const question = enrolment && firstQuestion(await this.deps.protocols.protocol(enrolment.protocolId, enrolment.protocolVersion), payload.day);
      if (question) texts.set(job.key, payload.step === 'ask' ? openingText(payload.day, question) : reminderText(question));
    }
    return texts;
  }

  /** Cancel + schedule again: the asks still waiting go, and every day not sent yet is planned anew. */
  private async reschedule(patient: Patient, enrolment: Enrolment): Promise<number> {
    await this.deps.outreach.cancel((await this.liveJobs(enrolment)).map((job) => job.key));
    return this.schedule(patient, enrolment, await this.sentOf(enrolment));
  }

  private async schedule(patient: Patient, enrolment: Enrolment, sentDays: ReadonlySet<number>): Promise<number> {
    const jobs = checkInJobs(enrolment, await this.planned(patient, enrolment), this.deps.clock.now(), sentDays);
    return jobs.length === 0 ? 0 : (await this.deps.outreach.schedule(jobs)).scheduled;
  }

  private async planned(patient: Patient, enrolment: Enrolment): Promise<PlannedCheckIn[]> {
    const protocol = await this.deps.protocols.protocol(enrolment.protocolId, enrolment.protocolVersion);
    return plannedCheckIns(enrolment, protocol, patient, quietHoursFor(patient, this.deps.quietHours));
  }

  /** The enrolment's live jobs: its asks, and with `allSteps` its reminders and missed checks too. One query. */
  private async liveJobs(enrolment: Enrolment, allSteps = false) {
    const jobs = await this.deps.outreach.upcoming(enrolment.patientId, HORIZON);
    return jobs.filter((job) => {
      const payload = job.payload as Partial<CheckInPayload>;
      return job.kind === 'postop_checkin' && payload.enrolmentId === enrolment.id && (allSteps || payload.step === 'ask');
    });
  }

  private async sentOf(enrolment: Enrolment): Promise<Set<number>> {
    const records = await this.deps.checkIns.forPatient(enrolment.patientId);
    return new Set(records.filter((record) => record.enrolmentId === enrolment.id).map((record) => record.day));
  }

  private async activeOf(patientId: string): Promise<Enrolment> {
    const enrolment = await this.deps.enrolments.active(patientId);
    if (!enrolment) throw notFound('post-op enrolment');
    return enrolment;
  }

  private async patient(patientId: string): Promise<Patient> {
    const patient = await this.deps.patients.get(patientId);
    if (!patient) throw notFound('patient');
    return patient;
  }
}
