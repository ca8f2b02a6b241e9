/**
 * A post-op check-in as it happens: sent on its day, one question at a time, each answer read with readAnswer and
 * stored on the check-in (with the protocol version it was sent with), a red flag stopping the questions and
 * alerting the care team, and the non-responder chased (a reminder) and then, after two missed check-ins in a
 * row, alerted. The dialog (dialogs/postop-checkin-dialog.ts) and the scheduler's handler call this; every read
 * and write of a check-in is by its id.
 */
import type { Clock } from '../../lib/clock.js';
import type { AlertRaiser } from '../alerts/service.js';
import { addDays } from '../medication/local-time.js';
import type { MediaRef, MessageChannel } from '../messaging/types.js';
import type { OutreachStore } from '../outreach/ports.js';
import type { Patient, PatientRepository } from '../patients/ports.js';
import { readAnswer } from './answers.js';
import { mergeFacts, type FactName, type FactValue, type PostopFacts } from './facts.js';
import { checkInJobKey, closingText, openingText, reminderText, type CheckInPayload } from './outreach.js';
import { checkInId, type CheckInAnswer, type CheckInRecord, type CheckInRepository, type Enrolment, type EnrolmentRepository } from './ports.js';
import { questionsForDay, type Protocol } from './protocol.js';
import type { ProtocolService } from './protocols.js';
import type { RedFlag } from './red-flags.js';

const MINUTE_MS = 60_000;

/** What a check-in question is begun with (dialogs/postop-checkin-dialog.ts): ids and the text to ask. */
export interface CheckInQuestion {
  checkInId: string;
  /** The question's position among the day's questions. */
  index: number;
  /** What to send: the opening, the question, a reminder or a reprompt. */
  text: string;
  /** The question was asked again once already: an answer still unclear moves on. */
  reprompted?: boolean;
}

/** Where the answer came from: the care team's alert points back to it. */
export interface AnswerSource {
  channel: MessageChannel;
  address: string;
  messageId: string;
  media: MediaRef[];
}

/** What the dialog does next. `urgent`: red-flag instructions, never held back by the SMS reply cap. */
export type AnswerStep =
  | { kind: 'ask'; question: CheckInQuestion }
  | { kind: 'done'; text: string; urgent?: boolean }
  /** The check-in is over or unknown: the message is not an answer to it. */
  | { kind: 'not_an_answer' };

/** A job's verdict before anything is sent. */
export type Prepared =
  | { status: 'ready'; patient: Patient; enrolment: Enrolment; question: CheckInQuestion }
  | { status: 'skip'; reason: string };

export interface PostopCheckInDeps {
  enrolments: EnrolmentRepository;
  checkIns: CheckInRepository;
  protocols: ProtocolService;
  patients: PatientRepository;
  alerts: AlertRaiser;
  outreach: OutreachStore;
  clock: Clock;
  settings: { clinicPhone?: string; emergencyNumber: string };
  /** POSTOP_REMINDER_MINUTES: from a check-in to its reminder, and from the reminder to the missed check. */
  reminderMinutes: number;
}

/** Statuses a reply can still answer: a late answer to a missed check-in is still recorded. */
const ANSWERABLE = new Set(['sent', 'in_progress', 'missed', 'incomplete']);

export class PostopCheckIns {
  constructor(private readonly deps: PostopCheckInDeps) {}

  /** A check-in's ask job: still wanted (enrolment live, same surgery date, day not sent), and its opening. */
  async prepareAsk(payload: CheckInPayload): Promise<Prepared> {
    const loaded = await this.load(payload);
    if (loaded.status === 'skip') return loaded;
    const { enrolment, patient, protocol } = loaded;
    if (payload.surgeryDate !== enrolment.surgeryDate) return { status: 'skip', reason: 'rescheduled' };
    if (await this.deps.checkIns.get(checkInId(enrolment.id, payload.day))) return { status: 'skip', reason: 'already_sent' };
    const first = questionsForDay(protocol, payload.day)[0];
    if (!first) return { status: 'skip', reason: 'no_questions' };
    return { status: 'ready', patient, enrolment, question: { checkInId: checkInId(enrolment.id, payload.day), index: 0, text: openingText(payload.day, first) } };
  }

  /** After the opening went out: the check-in is recorded with its protocol version, and its reminder scheduled. */
  async sent(enrolment: Enrolment, day: number): Promise<void> {
    const now = this.deps.clock.now();
    const id = checkInId(enrolment.id, day);
    await this.deps.checkIns.create({
      id, enrolmentId: enrolment.id, patientId: enrolment.patientId, day, localDate: addDays(enrolment.surgeryDate, day), protocolId: enrolment.protocolId, protocolVersion: enrolment.protocolVersion,
      channel: enrolment.channel, status: 'sent', sentAt: now, answers: [], facts: {}, redFlags: [],
    });
    await this.scheduleStep(enrolment, day, 'reminder', now);
  }

  /** A reminder job: only for a check-in sent and not answered at all; it asks the first question again. */
  async prepareReminder(payload: CheckInPayload): Promise<Prepared> {
    const loaded = await this.load(payload);
    if (loaded.status === 'skip') return loaded;
    const { enrolment, patient, protocol } = loaded;
    const record = await this.deps.checkIns.get(checkInId(enrolment.id, payload.day));
    if (!record) return { status: 'skip', reason: 'not_sent' };
    if (record.status !== 'sent') return { status: 'skip', reason: 'answered' };
    const first = questionsForDay(protocol, payload.day)[0]!;
    return { status: 'ready', patient, enrolment, question: { checkInId: record.id, index: 0, text: reminderText(first) } };
  }

  /** After the reminder (sent, or refused: opted out, no consent): the missed check comes as long again later. */
  async reminded(enrolment: Enrolment, day: number, sent: boolean): Promise<void> {
    const now = this.deps.clock.now();
    if (sent) await this.deps.checkIns.update(checkInId(enrolment.id, day), { remindedAt: now });
    await this.scheduleStep(enrolment, day, 'missed', now);
  }

  /**
   * The missed check: a check-in with no answer is recorded missed (one partly answered, incomplete). The second
   * missed check-in in a row raises one `postop_nonresponse` alert for the run. Returns what it recorded.
   */
  async settle(payload: CheckInPayload): Promise<string> {
    const id = checkInId(payload.enrolmentId, payload.day);
    const record = await this.deps.checkIns.get(id);
    if (!record) return 'not_sent';
    if (record.status !== 'sent' && record.status !== 'in_progress') return 'answered';
    const missed = record.status === 'sent';
    await this.deps.checkIns.update(id, { status: missed ? 'missed' : 'incomplete', finishedAt: this.deps.clock.now() });
    if (!missed) return 'incomplete';
    const [enrolment, protocol] = await Promise.all([this.deps.enrolments.get(payload.enrolmentId), this.deps.protocols.protocol(record.protocolId, record.protocolVersion)]);
    const patient = enrolment && (await this.deps.patients.get(enrolment.patientId));
    if (!enrolment || !patient) return 'missed';
    const position = protocol.days.indexOf(payload.day);
    const [previous, beforeThat] = await Promise.all([position - 1, position - 2].map((at) => (at >= 0 ? this.deps.checkIns.get(checkInId(enrolment.id, protocol.days[at]!)) : undefined)));
    // One alert per run of missed check-ins: at its second, not again at its third.
    if (previous?.status !== 'missed' || beforeThat?.status === 'missed') return 'missed';
    await this.deps.alerts.raise({
      kind: 'postop_nonresponse', severity: 'high', idempotencyKey: id, patientId: patient.id, careTeamId: patient.careTeamId, facts: { missed: 2 },
      reason: `post-op check-ins not answered: days ${previous.day} and ${payload.day} in a row (enrolment ${enrolment.id})`,
    });
    return 'missed_alerted';
  }

  /**
   * Reads the patient's reply to the question `asked` and records it. A red flag stops the questions, alerts the
   * care team and says what to do now; an unclear answer is asked once more, then left and the next one asked.
   */
  async answer(asked: CheckInQuestion, text: string, source: AnswerSource): Promise<AnswerStep> {
    const record = await this.deps.checkIns.get(asked.checkInId);
    if (!record || !ANSWERABLE.has(record.status)) return { kind: 'not_an_answer' };
    const questions = questionsForDay(await this.deps.protocols.protocol(record.protocolId, record.protocolVersion), record.day);
    const question = questions[asked.index];
    if (!question) return { kind: 'not_an_answer' };
    const now = this.deps.clock.now();
    const result = readAnswer(question, text, { now, day: record.day, mediaCount: source.media.length });
    const answer: CheckInAnswer = {
      questionId: question.id, question: asked.text, text, status: result.status === 'unclear' ? 'unclear' : result.status, facts: result.facts, at: now,
      ...('value' in result && result.value !== undefined ? { value: result.value } : {}),
      ...(source.media.length > 0 ? { media: source.media } : {}),
    };
    const facts = mergeFacts(record.facts, result.facts);

    if (result.status === 'red_flag') {
      const redFlags = [...record.redFlags, ...result.flags.map(({ id, level, because }) => ({ id, level, because }))];
      await this.deps.checkIns.update(record.id, { status: 'red_flag', facts, redFlags, finishedAt: now }, answer);
      await this.raiseRedFlag(record, result.level, result.flags, facts, source);
      return { kind: 'done', text: this.fill(result.message), urgent: true };
    }
    if (result.status === 'unclear' && !asked.reprompted) {
      await this.deps.checkIns.update(record.id, { status: 'in_progress', facts }, answer);
      return { kind: 'ask', question: { ...asked, text: result.reprompt, reprompted: true } };
    }
    const next = questions[asked.index + 1];
    if (!next) {
      await this.deps.checkIns.update(record.id, { status: 'completed', facts, finishedAt: now }, answer);
      return { kind: 'done', text: closingText({ clinicPhone: this.deps.settings.clinicPhone ?? 'your care team', emergencyNumber: this.deps.settings.emergencyNumber }) };
    }
    await this.deps.checkIns.update(record.id, { status: 'in_progress', facts }, answer);
    return { kind: 'ask', question: { checkInId: record.id, index: asked.index + 1, text: next.text } };
  }

  /** The alert for a red flag: the flags and the facts (no message text), pointing at the answer that raised it. */
  private async raiseRedFlag(record: CheckInRecord, level: 'critical' | 'high', flags: RedFlag[], facts: PostopFacts, source: AnswerSource): Promise<void> {
    const patient = await this.deps.patients.get(record.patientId);
    const shown = (Object.entries(facts) as [FactName, FactValue][]).map(([name, value]) => `${name}=${value}`).join(', ');
    await this.deps.alerts.raise({
      kind: 'postop_checkin', severity: level, idempotencyKey: source.messageId, patientId: record.patientId, careTeamId: patient?.careTeamId,
      source: { channel: source.channel, address: source.address, messageId: source.messageId }, facts: { day: record.day, ...facts },
      reason: `post-op check-in day ${record.day}: ${flags.map((flag) => flag.id).join(', ')}; facts ${shown}`.slice(0, 500),
    });
  }

  private fill(message: string): string {
    const { clinicPhone, emergencyNumber } = this.deps.settings;
    return message.replaceAll('{EMERGENCY_NUMBER}', emergencyNumber).replaceAll('{CARE_TEAM_PHONE}', clinicPhone ?? 'the number on your discharge papers');
  }

  private async scheduleStep(enrolment: Enrolment, day: number, step: 'reminder' | 'missed', from: Date): Promise<void> {
    const payload: CheckInPayload = { step, enrolmentId: enrolment.id, day };
    const dueAt = new Date(from.getTime() + this.deps.reminderMinutes * MINUTE_MS);
    await this.deps.outreach.schedule([{ key: checkInJobKey(payload), kind: 'postop_checkin', patientId: enrolment.patientId, dueAt, payload: { ...payload } }]);
  }

  private async load(payload: CheckInPayload): Promise<{ status: 'ready'; enrolment: Enrolment; patient: Patient; protocol: Protocol } | { status: 'skip'; reason: string }> {
    const enrolment = await this.deps.enrolments.get(payload.enrolmentId);
    if (!enrolment || enrolment.endedAt) return { status: 'skip', reason: 'enrolment_ended' };
    const patient = await this.deps.patients.get(enrolment.patientId);
    if (!patient) return { status: 'skip', reason: 'patient_gone' };
    if (!patient.active) return { status: 'skip', reason: 'inactive_patient' };
    return { status: 'ready', enrolment, patient, protocol: await this.deps.protocols.protocol(enrolment.protocolId, enrolment.protocolVersion) };
  }
}
