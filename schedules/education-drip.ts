import type { ProactiveMessenger } from '../src/bot/proactive.js';
import type { EducationItem } from '../src/domain/education/programmes.js';
import type { Job } from './job.js';

/** One education message due for a patient on a day of their programme (src/domain/education/programmes.ts). */
export type EducationDripItem = EducationItem;

export interface EducationDripContext {
  due(now: Date): Promise<EducationDripItem[]>;
  /** The SMS-sized tip for an article, from the education library; undefined for an unknown article. */
  tipFor(articleId: string): string | undefined;
  proactive: ProactiveMessenger;
}

/**
 * Sends due education tips by SMS through the proactive path (consent for `education`, opt-out and quiet
 * hours are checked by the gateway). Each item has a deterministic key, so a re-run never sends it twice.
 */
export const educationDrip: Job<EducationDripContext> = {
  name: 'education-drip',
  cron: '*/15 * * * *',
  async run({ due, tipFor, proactive, clock, signal }) {
    const counts = { sent: 0, blocked: 0, already_sent: 0, no_address: 0, unknown_article: 0, failed: 0 };
    for (const item of await due(clock.now())) {
      // A stopping process sends no more; the next run sends the rest (each tip's key sends it once).
      if (signal?.aborted) break;
      const text = tipFor(item.articleId);
      if (!text) {
        counts.unknown_article += 1;
        continue;
      }
      const idempotencyKey = `drip:${item.patientId}:${item.articleId}:${item.day}`;
      const outcome = await proactive.send({ patientId: item.patientId, channel: 'sms', text, purpose: 'education', idempotencyKey });
      if (outcome.status === 'blocked' || outcome.status === 'failed' || outcome.status === 'no_address') counts[outcome.status] += 1;
      else if (outcome.status === 'duplicate') counts.already_sent += 1;
      else counts.sent += 1;
    }
    return counts;
  },
};
