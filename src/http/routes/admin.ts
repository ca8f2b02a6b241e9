import { z } from 'zod';
import type { AuditLog } from '../../domain/audit/ports.js';
import { apiKeyCreateSchema } from '../../domain/auth/keys.js';
import type { ApiKeyService } from '../../domain/auth/service.js';
import { idSchema } from '../../domain/common.js';
import { ADMIN } from '../auth.js';
import type { RouteTable } from '../route.js';

/** API keys and the audit trail: admins only. */
export function adminRoutes(routes: RouteTable, deps: { apiKeys: ApiKeyService; audit: AuditLog }): void {
  routes.add({
    method: 'POST', url: '/api/v1/api-keys', tag: 'api keys', summary: 'Create an API key (the key is shown once, in this response)',
    roles: ADMIN, action: 'apikey.create', body: apiKeyCreateSchema, status: 201,
    handler: async ({ body, req }) => {
      const created = await deps.apiKeys.create(body, `api:${req.actor!.keyId}`);
      req.auditResource = { type: 'apikey', id: created.id };
      return created;
    },
  });
  routes.add({
    method: 'GET', url: '/api/v1/api-keys', tag: 'api keys', summary: 'List API keys (without secrets)',
    roles: ADMIN, action: 'apikey.list',
    handler: async () => ({ items: await deps.apiKeys.list() }),
  });
  routes.add({
    method: 'DELETE', url: '/api/v1/api-keys/:id', tag: 'api keys', summary: 'Revoke an API key',
    roles: ADMIN, action: 'apikey.revoke', params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, 'expected a key id') }),
    handler: async ({ params, req }) => {
      req.auditResource = { type: 'apikey', id: params.id };
      return deps.apiKeys.revoke(params.id);
    },
  });

  routes.add({
    method: 'GET', url: '/api/v1/audit-events', tag: 'audit', summary: 'Read the audit trail in order (optionally for one patient)',
    roles: ADMIN, action: 'audit.read',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      afterSeq: z.coerce.number().int().min(0).optional(),
      patientId: idSchema.optional(),
    }),
    handler: async ({ query }) => {
      const items = await deps.audit.list(query);
      return { items, nextAfterSeq: items.length === query.limit ? items.at(-1)!.seq : null };
    },
  });
  routes.add({
    method: 'GET', url: '/api/v1/audit-events/verify', tag: 'audit', summary: 'Verify the audit hash chain',
    roles: ADMIN, action: 'audit.verify',
    handler: () => deps.audit.verify(),
  });
}
