import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseApiKey, secretMatches, type ApiKeyRepository, type Role } from '../domain/auth/keys.js';
import type { Actor } from '../domain/common.js';
import { AppError } from '../lib/errors.js';
import type { RouteConfig } from './route.js';
import { clientAddress, refuse, type FailureBudget } from './throttle.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated API key, set by the auth hook on routes that need one. */
    actor?: Actor;
    /** Patients this request read or changed, for the audit event. */
    auditPatientIds?: string[];
    auditResource?: { type: string; id?: string };
  }
}

/**
 * onRequest hook: routes with `roles` need `Authorization: Bearer <key>`. A missing or wrong key counts
 * against the caller address's failure budget; past it, requests from that address are refused with a 429
 * before the key is looked up, so a flood of guesses costs no database reads and no audit events.
 */
export function authenticate(apiKeys: ApiKeyRepository, failures: FailureBudget) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!routeRoles(req)) return;
    const client = clientAddress(req);
    const refusal = failures.check(client);
    if (refusal) throw refuse(req, reply, refusal);
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    const parsed = token ? parseApiKey(token) : undefined;
    const key = parsed ? await apiKeys.get(parsed.id) : undefined;
    if (!parsed || !key || key.revokedAt || !secretMatches(parsed.secret, key.secretHash)) {
      const late = failures.fail(client); // concurrent guesses may have used up the budget meanwhile
      if (late) throw refuse(req, reply, late);
      throw new AppError('unauthorized', token ? 'invalid or revoked API key' : 'missing API key: send Authorization: Bearer <key>');
    }
    req.actor = { keyId: key.id, role: key.role };
  };
}

/**
 * preParsing hook: the key's role must be one the route allows. It runs after the per-key rate limit
 * (an onRequest hook of each route), so a valid key sending forbidden requests is limited like any other,
 * and before the body is parsed.
 */
export async function authorize(req: FastifyRequest): Promise<void> {
  const roles = routeRoles(req);
  if (roles && req.actor && !(roles as readonly string[]).includes(req.actor.role)) {
    throw new AppError('forbidden', `this action needs the ${roles.join(' or ')} role`);
  }
}

const routeRoles = (req: FastifyRequest) => (req.routeOptions.config as RouteConfig | undefined)?.roles;

export const ADMIN: readonly Role[] = ['admin'];
export const STAFF_READ: readonly Role[] = ['admin', 'clinician', 'integration'];
export const PATIENT_WRITE: readonly Role[] = ['admin', 'integration'];
/** Any valid key: routes that only need to know who calls. */
export const ANY_ROLE: readonly Role[] = ['admin', 'clinician', 'integration'];
