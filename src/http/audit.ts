import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../domain/audit/chain.js';
import type { AuditLog } from '../domain/audit/ports.js';
import type { Clock } from '../lib/clock.js';
import type { RouteConfig } from './route.js';

/** The action of a request under /api/v1 that matched no API route (unknown path or method, over-long id, bad URL). */
export const UNMATCHED_ACTION = 'api.unmatched';

/** True for a URL under /api/v1, the audited API. */
export const isApiUrl = (url: string): boolean => url === '/api/v1' || url.startsWith('/api/v1/') || url.startsWith('/api/v1?');

/**
 * onSend hook: every request to the API, allowed or not, appends one audit event before the response leaves.
 * If the audit write fails, the caller gets a 500 instead of data nobody recorded. A request a limiter
 * refused is recorded only when it is the first refusal of its client in the window (it says so in `reason`),
 * so a flood adds at most one event per client and window beyond what the limits let through.
 */
export function auditRequests(audit: AuditLog, clock: Clock) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const action = (req.routeOptions.config as RouteConfig | undefined)?.action;
    if (action) await appendAudit(audit, clock, req, reply.statusCode, action);
    return payload;
  };
}

/** Appends the audit event of one API request, unless a limiter refused it and it is not its window's first. */
export async function appendAudit(audit: AuditLog, clock: Clock, req: FastifyRequest, status: number, action: string): Promise<void> {
  if (req.throttle && !req.throttle.first) return;
  const entry: AuditEntry = {
    at: clock.now(),
    actor: req.actor ? { kind: 'api_key', keyId: req.actor.keyId, role: req.actor.role } : { kind: 'anonymous' },
    action,
    outcome: status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : status < 500 ? 'rejected' : 'error',
    status,
    patientIds: req.auditPatientIds ?? patientIdFromParams(req),
    resource: req.auditResource,
    requestId: req.id,
    reason: req.throttle?.reason,
  };
  await audit.append(entry);
}

function patientIdFromParams(req: FastifyRequest): string[] {
  const params = req.params as { id?: unknown } | undefined;
  const isPatientRoute = req.routeOptions.url?.startsWith('/api/v1/patients/:id');
  return isPatientRoute && typeof params?.id === 'string' && /^[0-9a-f]{24}$/.test(params.id) ? [params.id] : [];
}
