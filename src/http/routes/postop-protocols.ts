import { z } from 'zod';
import type { Role } from '../../domain/auth/keys.js';
import type { ProtocolService } from '../../domain/postop/protocols.js';
import type { StoredProtocol } from '../../domain/postop/ports.js';
import { STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

/** Protocols are clinic configuration: administrators and integrations write them (ARCHITECTURE.md, who uses it). */
const CONFIGURE: readonly Role[] = ['admin', 'integration'];

const protocolParams = z.strictObject({ protocolId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a protocol id: lower-case letters, digits, - and _') });
const versionQuery = z.strictObject({
  version: z.coerce.number({ error: 'expected a version number' }).int('expected a whole version number').min(1).max(1_000_000).optional(),
});
/** The protocol as in content/clinical/postop/default-protocol.yaml, validated whole by the service (400 with every reason). */
const protocolBody = z.record(z.string(), z.unknown(), { error: 'expected a JSON object: a post-op protocol' });
const summarySchema = z.object({
  id: z.string(), version: z.number(), title: z.string().optional(), status: z.string(), days: z.array(z.number()), sendHour: z.string(), questions: z.number(), createdAt: z.string(),
});
const protocolView = z.object({ protocol: z.record(z.string(), z.unknown()), createdBy: z.string(), createdAt: z.string() });

const view = (stored: StoredProtocol) => ({ protocol: stored.protocol, createdBy: stored.createdBy, createdAt: stored.createdAt.toISOString() });

/**
 * /api/v1/postop-protocols: versioned post-op check-in protocols. A stored version never changes: a change is
 * POST .../:protocolId/versions, the whole protocol as it should now be. The shipped default is listed too.
 */
export function postopProtocolRoutes(routes: RouteTable, deps: { protocols: ProtocolService }): void {
  const { protocols } = deps;
  const base = '/api/v1/postop-protocols';

  routes.add({
    method: 'GET', url: base, tag: 'postop', summary: 'List post-op protocols (the latest version of each)',
    roles: STAFF_READ, action: 'postop_protocol.list', response: z.object({ items: z.array(summarySchema) }),
    handler: async () => ({ items: (await protocols.list()).map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })) }),
  });

  routes.add({
    method: 'GET', url: `${base}/:protocolId`, tag: 'postop', summary: 'Read a post-op protocol (the latest version, or ?version=n)',
    roles: STAFF_READ, action: 'postop_protocol.read', params: protocolParams, query: versionQuery, response: protocolView,
    handler: async ({ params, query }) => view(await protocols.get(params.protocolId, query.version)),
  });

  routes.add({
    method: 'POST', url: base, tag: 'postop', summary: 'Create a post-op protocol (version 1; days, send hour, questions)',
    roles: CONFIGURE, action: 'postop_protocol.create', body: protocolBody, status: 201, response: protocolView,
    handler: async ({ body, req }) => {
      const stored = await protocols.create(body, req.actor!.keyId);
      req.auditResource = { type: 'postop_protocol', id: `${stored.protocol.id}@${stored.protocol.version}` };
      return view(stored);
    },
  });

  routes.add({
    method: 'POST', url: `${base}/:protocolId/versions`, tag: 'postop',
    summary: 'Add the next version of a post-op protocol (check-ins already sent keep the version they were sent with)',
    roles: CONFIGURE, action: 'postop_protocol.version', params: protocolParams, body: protocolBody, status: 201, response: protocolView,
    handler: async ({ params, body, req }) => {
      const stored = await protocols.addVersion(params.protocolId, body, req.actor!.keyId);
      req.auditResource = { type: 'postop_protocol', id: `${stored.protocol.id}@${stored.protocol.version}` };
      return view(stored);
    },
  });
}
