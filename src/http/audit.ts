import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../domain/audit/chain.js';
import type { AuditLog } from '../domain/audit/ports.js';
import type { Clock } from '../lib/clock.js';
import type { RouteConfig } from './route.js';

/**
 * onSend hook: every request to an authenticated route, allowed or not, appends one audit event before the
 * response leaves. If the audit write fails, the caller gets a 500 instead of data nobody recorded.
 */
export function auditRequests(audit: AuditLog, clock: Clock) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const config = req.routeOptions.config as RouteConfig | undefined;
    if (!config?.action) return payload;
    const status = reply.statusCode;
    const entry: AuditEntry = {
      at: clock.now(),
      actor: req.actor ? { kind: 'api_key', keyId: req.actor.keyId, role: req.actor.role } : { kind: 'anonymous' },
      action: config.action,
      outcome: status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : status < 500 ? 'rejected' : 'error',
      status,
      patientIds: req.auditPatientIds ?? patientIdFromParams(req),
      resource: req.auditResource,
      requestId: req.id,
    };
    await audit.append(entry);
    return payload;
  };
}

function patientIdFromParams(req: FastifyRequest): string[] {
  const params = req.params as { id?: unknown } | undefined;
  const isPatientRoute = req.routeOptions.url?.startsWith('/api/v1/patients/:id');
  return isPatientRoute && typeof params?.id === 'string' && /^[0-9a-f]{24}$/.test(params.id) ? [params.id] : [];
}
