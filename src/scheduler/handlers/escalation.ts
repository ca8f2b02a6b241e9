import { z } from 'zod';
import type { EscalationSteps } from '../../domain/alerts/escalation.js';
import type { OutreachHandler } from '../dispatcher.js';

const payloadSchema = z.object({ alertId: z.string().min(1), epoch: z.int().min(0), step: z.int().min(0) });

/** The `escalation_step` handler: one step of one alert's paging (src/domain/alerts/escalation.ts). */
export function escalationHandlers(steps: EscalationSteps): { escalation_step: OutreachHandler } {
  return {
    escalation_step: async (job, context) => {
      const payload = payloadSchema.safeParse(job.payload);
      if (!payload.success) return { status: 'failed', reason: 'bad_payload' };
      return steps.run(payload.data, context.now);
    },
  };
}
