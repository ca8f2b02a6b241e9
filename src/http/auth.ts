import type { FastifyRequest } from 'fastify';
import { parseApiKey, secretMatches, type ApiKeyRepository, type Role } from '../domain/auth/keys.js';
import type { Actor } from '../domain/common.js';
import { AppError } from '../lib/errors.js';
import type { RouteConfig } from './route.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated API key, set by the auth hook on routes that need one. */
    actor?: Actor;
    /** Patients this request read or changed, for the audit event. */
    auditPatientIds?: string[];
    auditResource?: { type: string; id?: string };
  }
}

/** onRequest hook: routes with `roles` need `Authorization: Bearer <key>` of one of those roles. */
export function authenticate(apiKeys: ApiKeyRepository) {
  return async (req: FastifyRequest): Promise<void> => {
    const roles = (req.routeOptions.config as RouteConfig | undefined)?.roles;
    if (!roles) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (!token) throw new AppError('unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const parsed = parseApiKey(token);
    const key = parsed ? await apiKeys.get(parsed.id) : undefined;
    if (!parsed || !key || key.revokedAt || !secretMatches(parsed.secret, key.secretHash)) {
      throw new AppError('unauthorized', 'invalid or revoked API key');
    }
    req.actor = { keyId: key.id, role: key.role };
    if (!roles.includes(key.role)) {
      throw new AppError('forbidden', `this action needs the ${roles.join(' or ')} role`);
    }
  };
}

export const ADMIN: readonly Role[] = ['admin'];
export const STAFF_READ: readonly Role[] = ['admin', 'clinician', 'integration'];
export const PATIENT_WRITE: readonly Role[] = ['admin', 'integration'];
