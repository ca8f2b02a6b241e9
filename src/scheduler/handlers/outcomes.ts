import type { ProactiveOutcome } from '../../bot/proactive.js';
import { BUSY_RETRY_MS } from '../../domain/medication/reminders.js';
import { nextAllowedMinute } from '../../domain/medication/deferral.js';
import type { QuietHours } from '../../domain/messaging/quiet-hours.js';
import type { OutreachOutcome } from '../../domain/outreach/types.js';
import type { Patient } from '../../domain/patients/ports.js';
import type { HandlerContext } from '../dispatcher.js';

/**
 * Gateway outcomes as job outcomes: out (or already out under this key, or retried by the gateway's outbox) is
 * sent; quiet hours defer; refusals skip with their reason; a patient mid-flow defers a few minutes; a
 * permanent provider failure fails (the gateway already retried what can be retried, under the same key).
 */
export function mapOutcome(outcome: ProactiveOutcome, context: HandlerContext, patient: Patient, quietHours: QuietHours): OutreachOutcome {
  switch (outcome.status) {
    case 'busy':
      return { status: 'deferred', dueAt: new Date(context.now.getTime() + BUSY_RETRY_MS), reason: 'patient_busy' };
    case 'no_address':
      return { status: 'skipped', reason: 'no_address' };
    case 'blocked':
      if (outcome.reason === 'quiet_hours') {
        const allowedAt = nextAllowedMinute(context.now, patient.timeZone, quietHours);
        return { status: 'deferred', dueAt: allowedAt > context.now ? allowedAt : new Date(context.now.getTime() + BUSY_RETRY_MS), reason: 'quiet_hours' };
      }
      return { status: 'skipped', reason: outcome.reason };
    case 'failed':
      return { status: 'failed', reason: 'provider_failed', ...(outcome.errorCode ? { lastError: outcome.errorCode } : {}) };
    default:
      return { status: 'sent' };
  }
}
