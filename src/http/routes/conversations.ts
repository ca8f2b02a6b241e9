import { z } from 'zod';
import type { AlertRepository } from '../../domain/alerts/alerts.js';
import { idSchema, timeCursorSchema } from '../../domain/common.js';
import type { MessageLog } from '../../domain/messaging/ports.js';
import type { PatientService } from '../../domain/patients/service.js';
import { notFound } from '../../lib/errors.js';
import type { Role } from '../../domain/auth/keys.js';
import type { RouteTable } from '../route.js';

const CLINICAL: readonly Role[] = ['admin', 'clinician'];
const newestFirst = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: timeCursorSchema.optional(),
});

/** What clinicians read of conversations: a patient's messages, and the alerts the bot raised. */
export function conversationRoutes(routes: RouteTable, deps: { patients: PatientService; messages: MessageLog; alerts: AlertRepository }): void {
  routes.add({
    method: 'GET', url: '/api/v1/patients/:id/messages', tag: 'patients', summary: "A patient's conversation, both directions, newest first, with delivery statuses",
    roles: CLINICAL, action: 'patient.messages.read', params: z.strictObject({ id: idSchema }), query: newestFirst,
    handler: async ({ params, query }) => {
      await deps.patients.get(params.id);
      const page = await deps.messages.forPatient(params.id, query);
      return {
        items: page.items.map((m) => ({
          id: m.id, direction: m.direction, channel: m.channel, text: m.text, media: m.media, status: m.status,
          errorCode: m.errorCode, blockedReason: m.blockedReason, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  });

  routes.add({
    method: 'GET', url: '/api/v1/alerts', tag: 'alerts', summary: 'Alerts raised by conversations (emergencies, requests for a person, low check-ins), newest first',
    roles: CLINICAL, action: 'alert.list',
    query: newestFirst.extend({ status: z.enum(['open', 'acknowledged']).optional(), patientId: idSchema.optional() }),
    handler: async ({ query, req }) => {
      const { limit, cursor, ...filter } = query;
      const page = await deps.alerts.list(filter, { limit, cursor });
      req.auditPatientIds = [...new Set(page.items.flatMap((alert) => (alert.patientId ? [alert.patientId] : [])))];
      return page;
    },
  });

  routes.add({
    method: 'POST', url: '/api/v1/alerts/:id/acknowledge', tag: 'alerts', summary: 'Acknowledge an alert',
    roles: CLINICAL, action: 'alert.acknowledge', params: z.strictObject({ id: z.string().min(1).max(300) }),
    handler: async ({ params, req }) => {
      const alert = await deps.alerts.acknowledge(params.id);
      if (!alert) throw notFound('alert');
      req.auditPatientIds = alert.patientId ? [alert.patientId] : [];
      req.auditResource = { type: 'alert', id: alert.id };
      return alert;
    },
  });
}
