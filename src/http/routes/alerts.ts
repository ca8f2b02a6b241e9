import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES, RESOLUTION_OUTCOMES, type Alert, type AlertActor } from '../../domain/alerts/alerts.js';
import type { AlertService } from '../../domain/alerts/service.js';
import type { Role } from '../../domain/auth/keys.js';
import { idSchema, timeCursorSchema } from '../../domain/common.js';
import { AppError } from '../../lib/errors.js';
import type { FastifyRequest } from 'fastify';
import type { RouteTable } from '../route.js';

const CLINICAL: readonly Role[] = ['admin', 'clinician'];
const alertParams = z.strictObject({ id: z.string().min(1).max(300) });
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: timeCursorSchema.optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  careTeamId: idSchema.optional(),
  patientId: idSchema.optional(),
});
const noteSchema = z.string().trim().min(1).max(2000);
const resolveBody = z.strictObject({ outcome: z.enum(RESOLUTION_OUTCOMES), note: noteSchema.optional() });
const reopenBody = z.strictObject({ note: noteSchema.optional() });
const assignBody = z.strictObject({ staffId: idSchema });

/** An alert as the API shows it: dates as ISO text, everything else as stored. */
export function alertView(alert: Alert) {
  const iso = (date: Date | undefined) => date?.toISOString();
  return {
    ...alert,
    timeline: alert.timeline.map((event) => ({ ...event, at: event.at.toISOString(), ...(event.until ? { until: event.until.toISOString() } : {}) })),
    escalation: { ...alert.escalation, nextCheckAt: iso(alert.escalation.nextCheckAt) },
    acknowledgedAt: iso(alert.acknowledgedAt),
    resolvedAt: iso(alert.resolvedAt),
    flaggedAt: iso(alert.flaggedAt),
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}

function apiActor(req: FastifyRequest): AlertActor {
  if (!req.actor) throw new AppError('unauthorized', 'an API key is required');
  return { kind: 'api', keyId: req.actor.keyId };
}

function audit(req: FastifyRequest, alert: Alert): void {
  req.auditPatientIds = alert.patientId ? [alert.patientId] : [];
  req.auditResource = { type: 'alert', id: alert.id };
}

/** The alert queue and what staff do with an alert: acknowledge, resolve, reopen. */
export function alertRoutes(routes: RouteTable, deps: { alerts: AlertService }): void {
  routes.add({
    method: 'GET', url: '/api/v1/alerts', tag: 'alerts', summary: 'The alert queue, newest first: filter by status, care team, severity or patient',
    roles: CLINICAL, action: 'alert.list', query: listQuery,
    handler: async ({ query, req }) => {
      const { limit, cursor, ...filter } = query;
      const page = await deps.alerts.list(filter, { limit, cursor });
      req.auditPatientIds = [...new Set(page.items.flatMap((alert) => (alert.patientId ? [alert.patientId] : [])))];
      return { items: page.items.map(alertView), nextCursor: page.nextCursor };
    },
  });

  routes.add({
    method: 'GET', url: '/api/v1/alerts/:id', tag: 'alerts', summary: 'One alert with its timeline',
    roles: CLINICAL, action: 'alert.read', params: alertParams,
    handler: async ({ params, req }) => {
      const alert = await deps.alerts.get(params.id);
      audit(req, alert);
      return alertView(alert);
    },
  });

  routes.add({
    method: 'POST', url: '/api/v1/alerts/:id/acknowledge', tag: 'alerts', summary: 'Acknowledge an alert: paging stops; the first acknowledgement wins',
    roles: CLINICAL, action: 'alert.acknowledge', params: alertParams,
    handler: async ({ params, req }) => {
      const { alert } = await deps.alerts.acknowledge(params.id, apiActor(req));
      audit(req, alert);
      return alertView(alert);
    },
  });

  routes.add({
    method: 'POST', url: '/api/v1/alerts/:id/resolve', tag: 'alerts', summary: 'Resolve an alert with an outcome and a note',
    roles: CLINICAL, action: 'alert.resolve', params: alertParams, body: resolveBody,
    handler: async ({ params, body, req }) => {
      const alert = await deps.alerts.resolve(params.id, apiActor(req), body);
      audit(req, alert);
      return alertView(alert);
    },
  });

  routes.add({
    method: 'POST', url: '/api/v1/alerts/:id/assign', tag: 'alerts', summary: "Hands the alert to a staff member of its care team (acknowledging it if nobody had)",
    roles: CLINICAL, action: 'alert.assign', params: alertParams, body: assignBody,
    handler: async ({ params, body, req }) => {
      const alert = await deps.alerts.assign(params.id, body.staffId, apiActor(req));
      audit(req, alert);
      return alertView(alert);
    },
  });

  routes.add({
    method: 'POST', url: '/api/v1/alerts/:id/reopen', tag: 'alerts', summary: 'Reopen an acknowledged, resolved or expired alert: paging starts again',
    roles: CLINICAL, action: 'alert.reopen', params: alertParams, body: reopenBody,
    handler: async ({ params, body, req }) => {
      const alert = await deps.alerts.reopen(params.id, apiActor(req), body.note);
      audit(req, alert);
      return alertView(alert);
    },
  });
}
