import { z } from 'zod';
import { idSchema } from '../../domain/common.js';
import type { Enrolment } from '../../domain/postop/ports.js';
import { trendsOf } from '../../domain/postop/trends.js';
import { enrolmentInputSchema, enrolmentPatchSchema, type PostopService } from '../../domain/postop/service.js';
import { PATIENT_WRITE, STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

const params = z.strictObject({ id: idSchema });
const enrolmentView = z.object({
  id: z.string(), patientId: z.string(), procedure: z.string(), surgeryDate: z.string(), protocolId: z.string(), protocolVersion: z.number(),
  channel: z.enum(['sms', 'webchat']), createdAt: z.string(), updatedAt: z.string(), endedAt: z.string().optional(),
});
const scheduleItem = z.object({ day: z.number(), localDate: z.string(), at: z.string(), dueAt: z.string(), state: z.enum(['sent', 'scheduled', 'not_sent']) });

const checkInView = z.object({
  id: z.string(), enrolmentId: z.string(), day: z.number(), localDate: z.string(), protocolId: z.string(), protocolVersion: z.number(), channel: z.string(), status: z.string(),
  sentAt: z.string(), remindedAt: z.string().optional(), finishedAt: z.string().optional(),
  answers: z.array(z.object({ questionId: z.string(), question: z.string(), text: z.string(), status: z.string(), value: z.unknown().optional(), facts: z.record(z.string(), z.unknown()), media: z.array(z.object({ url: z.string(), contentType: z.string() })).optional(), at: z.string() })),
  facts: z.record(z.string(), z.unknown()),
  redFlags: z.array(z.object({ id: z.string(), level: z.string(), because: z.string() })),
});
const trendView = z.object({
  enrolmentId: z.string(), day: z.number(), localDate: z.string(), status: z.string(), pain: z.number().optional(), temperatureC: z.number().optional(),
  wound: z.object({ redness: z.string().optional(), swelling: z.boolean().optional(), drainage: z.string().optional(), opening: z.boolean().optional(), bleeding: z.string().optional() }),
  redFlag: z.enum(['critical', 'high']).optional(),
});

function toView(enrolment: Enrolment) {
  const { endedAt, createdAt, updatedAt, ...fields } = enrolment;
  return { ...fields, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString(), ...(endedAt ? { endedAt: endedAt.toISOString() } : {}) };
}

/**
 * /api/v1/patients/:id/postop: a patient's post-op enrolment (one active at a time). POST schedules every
 * check-in; PATCH with a new surgeryDate moves every check-in still to come; DELETE ends it.
 */
export function postopRoutes(routes: RouteTable, deps: { postop: PostopService }): void {
  const { postop } = deps;
  const base = '/api/v1/patients/:id/postop';

  routes.add({
    method: 'POST', url: base, tag: 'postop', summary: 'Enrol a patient for post-op check-ins ({ procedure, surgeryDate, protocolId?, channel? })',
    roles: PATIENT_WRITE, action: 'postop_enrolment.create', params, body: enrolmentInputSchema, status: 201, response: enrolmentView,
    handler: async ({ params: { id }, body, req }) => {
      const enrolment = await postop.enrol(id, body);
      req.auditResource = { type: 'postop_enrolment', id: enrolment.id };
      return toView(enrolment);
    },
  });

  routes.add({
    method: 'GET', url: base, tag: 'postop', summary: 'Read a patient\'s active post-op enrolment, with its check-in schedule',
    roles: STAFF_READ, action: 'postop_enrolment.read', params, response: enrolmentView.extend({ schedule: z.array(scheduleItem) }),
    handler: async ({ params: { id } }) => {
      const { enrolment, schedule } = await postop.get(id);
      return { ...toView(enrolment), schedule: schedule.map((item) => ({ ...item, at: item.at.toISOString(), dueAt: item.dueAt.toISOString() })) };
    },
  });

  routes.add({
    method: 'GET', url: `${base}/checkins`, tag: 'postop',
    summary: 'A patient\'s post-op check-ins (answers as written and as read, red flags, the protocol version each was sent with) and trends by day',
    roles: STAFF_READ, action: 'postop_checkin.list', params, response: z.object({ items: z.array(checkInView), trends: z.array(trendView) }),
    handler: async ({ params: { id } }) => {
      const records = await postop.checkIns(id);
      // JSON turns the dates into ISO strings.
      return { items: records, trends: trendsOf(records) };
    },
  });

  routes.add({
    method: 'PATCH', url: base, tag: 'postop', summary: 'Change the surgery date (every check-in still to come moves) or the procedure',
    roles: PATIENT_WRITE, action: 'postop_enrolment.update', params, body: enrolmentPatchSchema, response: enrolmentView,
    handler: async ({ params: { id }, body }) => toView(await postop.update(id, body)),
  });

  routes.add({
    method: 'DELETE', url: base, tag: 'postop', summary: 'End a patient\'s post-op enrolment now (nothing more is sent; check-ins so far are kept)',
    roles: PATIENT_WRITE, action: 'postop_enrolment.end', params, response: enrolmentView,
    handler: async ({ params: { id } }) => toView(await postop.end(id)),
  });
}
