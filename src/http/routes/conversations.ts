import { z } from 'zod';
import { idSchema, timeCursorSchema } from '../../domain/common.js';
import type { MessageLog } from '../../domain/messaging/ports.js';
import type { PatientService } from '../../domain/patients/service.js';
import type { Role } from '../../domain/auth/keys.js';
import type { RouteTable } from '../route.js';

const CLINICAL: readonly Role[] = ['admin', 'clinician'];
const newestFirst = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: timeCursorSchema.optional(),
});

/** What clinicians read of conversations: a patient's messages (alerts: routes/alerts.ts). */
export function conversationRoutes(routes: RouteTable, deps: { patients: PatientService; messages: MessageLog }): void {
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
}
