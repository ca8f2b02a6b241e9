import { z } from 'zod';
import { idSchema } from '../../domain/common.js';
import { MAX_PREVIEW_DAYS, type OutreachPreview } from '../../domain/medication/preview.js';
import { OUTREACH_KINDS } from '../../domain/outreach/types.js';
import { STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

const params = z.strictObject({ id: idSchema });
const query = z.strictObject({
  days: z.coerce
    .number({ error: `expected a whole number of days from 1 to ${MAX_PREVIEW_DAYS}` })
    .int(`expected a whole number of days from 1 to ${MAX_PREVIEW_DAYS}`)
    .min(1, `expected a whole number of days from 1 to ${MAX_PREVIEW_DAYS}`)
    .max(MAX_PREVIEW_DAYS, `expected a whole number of days from 1 to ${MAX_PREVIEW_DAYS}`)
    .default(14),
});
const itemSchema = z.object({
  kind: z.enum(OUTREACH_KINDS),
  dueAt: z.string(),
  localDate: z.string(),
  localTime: z.string(),
  text: z.string().nullable(),
  status: z.string(),
});

/** GET /api/v1/patients/:id/outreach: what CareLoop will send the patient in the next `days` (quiet hours applied). */
export function outreachRoutes(routes: RouteTable, deps: { preview: OutreachPreview }): void {
  routes.add({
    method: 'GET', url: '/api/v1/patients/:id/outreach', tag: 'medication',
    summary: 'Preview the messages CareLoop will send a patient (reminders and follow-ups, with quiet-hour deferrals applied)',
    roles: STAFF_READ, action: 'patient.outreach.read', params, query, response: z.object({ items: z.array(itemSchema), warnings: z.array(z.string()) }),
    handler: async ({ params: { id }, query: { days } }) => ({
      items: (await deps.preview.preview(id, days)).map((item) => ({ ...item, dueAt: item.dueAt.toISOString() })),
      // Deployment-wide: a minute with more jobs due than the SMS send rate can send within the catch-up window.
      warnings: await deps.preview.warnings(days),
    }),
  });
}
