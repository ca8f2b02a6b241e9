/**
 * What post-op outreach sends and when: the `postop_checkin` jobs of an enrolment (the patient's quiet hours
 * already applied) and the texts the patient gets. Pure functions, shared by the service, the scheduler's
 * handler and the outreach preview, so the preview shows what will be sent.
 */
import { nextAllowedMinute } from '../medication/deferral.js';
import type { QuietHours } from '../messaging/quiet-hours.js';
import type { NewOutreachJob } from '../outreach/types.js';
import { checkInId, type Enrolment } from './ports.js';
import { questionsForDay, type Protocol, type Question } from './protocol.js';
import { checkInTimes } from './schedule.js';

/**
 * The steps of a check-in, in `postop_checkin` jobs:
 * - `ask`: the check-in itself, on a protocol day at the send hour (its key names the surgery date it was
 *   planned from, so a job planned from an old date is told apart and skipped);
 * - `reminder`: one reminder POSTOP_REMINDER_MINUTES after an unanswered check-in;
 * - `missed`: as long again after the reminder, an unanswered check-in is recorded missed (nothing is sent).
 */
export type CheckInStep = 'ask' | 'reminder' | 'missed';

/** A postop_checkin job's payload: ids and dates only (keys and payloads appear in logs). */
export interface CheckInPayload {
  step: CheckInStep;
  enrolmentId: string;
  day: number;
  /** The surgery date the job was planned from (ask). */
  surgeryDate?: string;
}

/** The key of a check-in's job: `postop:<enrolmentId>:d<day>@<surgeryDate>` (ask) or `<check-in id>:<step>`. */
export function checkInJobKey(payload: CheckInPayload): string {
  const id = checkInId(payload.enrolmentId, payload.day);
  return payload.step === 'ask' ? `${id}@${payload.surgeryDate}` : `${id}:${payload.step}`;
}

export interface PlannedCheckIn {
  day: number;
  localDate: string;
  /** The protocol's time that day. */
  at: Date;
  /** When it goes out: `at`, or the first minute after the patient's quiet hours. */
  dueAt: Date;
}

/** Every check-in of the enrolment's protocol, on the patient's clock, with quiet hours applied. */
export function plannedCheckIns(enrolment: Pick<Enrolment, 'surgeryDate'>, protocol: Protocol, patient: { timeZone: string }, quietHours: QuietHours): PlannedCheckIn[] {
  return checkInTimes(enrolment.surgeryDate, protocol, patient.timeZone).map(({ day, localDate, dueAt }) => ({
    day, localDate, at: dueAt, dueAt: nextAllowedMinute(dueAt, patient.timeZone, quietHours),
  }));
}

/**
 * The `ask` jobs of every check-in still to come: planned after `now`, of a day not sent yet (`sentDays`), so a
 * changed surgery date never asks a day twice.
 */
export function checkInJobs(enrolment: Pick<Enrolment, 'id' | 'patientId' | 'surgeryDate'>, planned: readonly PlannedCheckIn[], now: Date, sentDays: ReadonlySet<number>): NewOutreachJob[] {
  return planned
    .filter((checkIn) => checkIn.at > now && !sentDays.has(checkIn.day))
    .map((checkIn) => {
      const payload: CheckInPayload = { step: 'ask', enrolmentId: enrolment.id, day: checkIn.day, surgeryDate: enrolment.surgeryDate };
      return { key: checkInJobKey(payload), kind: 'postop_checkin', patientId: enrolment.patientId, dueAt: checkIn.dueAt, payload: { ...payload } };
    });
}

/** The first message of a check-in: which one it is, and its first question. No procedure, no diagnosis. */
export function openingText(day: number, question: Pick<Question, 'text'>): string {
  return `Your recovery check-in (day ${day}): ${question.text}`;
}

/** The reminder of an unanswered check-in, asking its first question again. */
export function reminderText(question: Pick<Question, 'text'>): string {
  return `Reminder: your recovery check-in for today is waiting. ${question.text}`;
}

/** What the patient is told when every question is answered. */
export function closingText(settings: { clinicPhone: string; emergencyNumber: string }): string {
  return `Thank you, your answers are with your care team. If anything gets worse, call ${settings.clinicPhone}; in an emergency call ${settings.emergencyNumber}.`;
}

/** The first question asked on a protocol day, if the day has any. */
export function firstQuestion(protocol: Protocol, day: number): Question | undefined {
  return questionsForDay(protocol, day)[0];
}
