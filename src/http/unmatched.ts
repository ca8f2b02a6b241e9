import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../domain/audit/ports.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { appendAudit, isApiUrl, UNMATCHED_ACTION } from './audit.js';
import { ANY_ROLE } from './auth.js';
import { errorHandler } from './errors.js';
import type { RouteConfig } from './route.js';
import { clientAddress, refuse, type FailureBudget } from './throttle.js';

/**
 * A catch-all for /api/v1: any method, unknown paths, and ids longer than a route parameter may be (the router
 * then falls back to this wildcard). It is an API route like the others: it needs a key (401 otherwise, counted
 * against the address's failure budget), is rate limited per key and audited, and answers a valid key with 404.
 */
export function apiFallbackRoutes(app: FastifyInstance): void {
  const config: RouteConfig = { roles: ANY_ROLE, action: UNMATCHED_ACTION };
  for (const url of ['/api/v1', '/api/v1/*']) {
    app.route({
      method: app.supportedMethods, url, config,
      handler: async (req) => {
        const path = req.url.split('?')[0] ?? '';
        throw new AppError('not_found', `no route ${req.method} ${path.length > 120 ? `${path.slice(0, 120)}...` : path}`);
      },
    });
  }
}

/**
 * fastify's `frameworkErrors`: URLs the router refuses before any route or hook runs (malformed percent-encoding;
 * a path parameter over 100 characters outside /api/v1), answered in our error shape. Under /api/v1 this does
 * what the hooks would have done: the request counts against the address's failure budget and is audited.
 * (fastify builds these requests without TRUST_PROXY, so they count against the connecting address.)
 */
export function routerErrors(deps: { audit: AuditLog; clock: Clock; failures: FailureBudget }) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    const refused =
      err.code === 'FST_ERR_BAD_URL' ? new AppError('bad_request', 'malformed percent-encoding in the URL path')
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new AppError('uri_too_long', 'a path segment is longer than 100 characters')
      : err;
    if (!isApiUrl(req.url) || !(refused instanceof AppError)) {
      errorHandler(refused, req, reply);
      return;
    }
    const client = clientAddress(req);
    const refusal = deps.failures.check(client) ?? deps.failures.fail(client);
    const answer = refusal ? refuse(req, reply, refusal) : refused;
    appendAudit(deps.audit, deps.clock, req, answer.status, UNMATCHED_ACTION).then(
      () => errorHandler(answer, req, reply),
      (auditFailure: unknown) => errorHandler(new Error('auditing a refused URL', { cause: auditFailure }), req, reply),
    );
  };
}
