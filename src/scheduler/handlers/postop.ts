import type { ProactiveOutcome } from '../../bot/proactive.js';
import { nextAllowedMinute } from '../../domain/medication/deferral.js';
import { quietHoursFor, type QuietHours } from '../../domain/messaging/quiet-hours.js';
import type { OutreachOutcome } from '../../domain/outreach/types.js';
import type { CheckInQuestion, PostopCheckIns, Prepared } from '../../domain/postop/checkins.js';
import type { CheckInPayload } from '../../domain/postop/outreach.js';
import type { CheckInChannel } from '../../domain/postop/ports.js';
import type { HandlerContext, OutreachHandler } from '../dispatcher.js';
import { mapOutcome } from './outcomes.js';

export interface PostopHandlerDeps {
  checkIns: PostopCheckIns;
  /** The deployment's quiet hours; a patient's own replace them. */
  quietHours: QuietHours;
  /**
   * Begins the post-op check-in dialog in the patient's conversation on `channel` (ProactiveMessenger.begin,
   * purpose postop_checkins: consent, opt-out and quiet hours are checked by the gateway).
   */
  ask(patientId: string, channel: CheckInChannel, idempotencyKey: string, question: CheckInQuestion): Promise<ProactiveOutcome>;
}

/**
 * The `postop_checkin` handler: the check-in on its day (`ask`), its reminder, and the missed check. Each step
 * is loaded first (an ended enrolment, a moved surgery date or an answered check-in is skipped with the reason),
 * waits out the patient's quiet hours itself, then asks through the check-in dialog. The check-in's id is the
 * idempotency key of its opening, so a day is asked once even if two jobs for it ever ran.
 */
export function postopHandler(deps: PostopHandlerDeps): OutreachHandler {
  async function send(context: HandlerContext, prepared: Extract<Prepared, { status: 'ready' }>, idempotencyKey: string): Promise<OutreachOutcome> {
    const { patient, enrolment, question } = prepared;
    const quietHours = quietHoursFor(patient, deps.quietHours);
    const allowedAt = nextAllowedMinute(context.now, patient.timeZone, quietHours);
    if (allowedAt > context.now) return { status: 'deferred', dueAt: allowedAt, reason: 'quiet_hours' };
    return mapOutcome(await deps.ask(patient.id, enrolment.channel, idempotencyKey, question), context, patient, quietHours);
  }

  return async (job, context) => {
    const payload = job.payload as unknown as CheckInPayload;
    switch (payload.step) {
      case 'ask': {
        const prepared = await deps.checkIns.prepareAsk(payload);
        if (prepared.status === 'skip') return { status: 'skipped', reason: prepared.reason };
        const outcome = await send(context, prepared, prepared.question.checkInId);
        if (outcome.status === 'sent') await deps.checkIns.sent(prepared.enrolment, payload.day);
        return outcome;
      }
      case 'reminder': {
        const prepared = await deps.checkIns.prepareReminder(payload);
        if (prepared.status === 'skip') return { status: 'skipped', reason: prepared.reason };
        const outcome = await send(context, prepared, job.key);
        // A reminder that cannot go out (opt-out, no consent) still leads to the missed check.
        if (outcome.status === 'sent' || outcome.status === 'skipped') await deps.checkIns.reminded(prepared.enrolment, payload.day, outcome.status === 'sent');
        return outcome;
      }
      case 'missed':
        // Nothing goes to the patient: the job is done (`sent` = handed over), its reason says what it recorded.
        return { status: 'sent', reason: await deps.checkIns.settle(payload) };
    }
  };
}
