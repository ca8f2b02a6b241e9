import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { ApiKeyService } from '../domain/auth/service.js';
import { CareTeamService, StaffService } from '../domain/directory.js';
import { PatientService } from '../domain/patients/service.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { redactUrl } from '../lib/redact.js';
import type { Database } from '../store/database.js';
import { auditRequests } from './audit.js';
import { authenticate } from './auth.js';
import { errorHandler } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { RouteTable } from './route.js';
import { adminRoutes } from './routes/admin.js';
import { directoryRoutes } from './routes/directory.js';
import { patientRoutes } from './routes/patients.js';

export interface ServerDeps {
  config: Pick<Config, 'BODY_LIMIT_BYTES' | 'RATE_LIMIT_PER_MINUTE' | 'TRUST_PROXY'>;
  logger: Logger;
  db: Database;
  clock: Clock;
  version: string;
}

/** Builds the HTTP server with every route; the caller listens and closes. */
export async function buildServer({ config, logger, db, clock, version }: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger.child({}, {
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      },
    }) as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    genReqId: () => randomUUID(),
    // Fastify 5 closes idle keep-alive sockets on close and lets in-flight requests finish.
    return503OnClosing: true,
  });
  const repos = db.repositories;

  app.setErrorHandler(errorHandler);
  app.removeContentTypeParser('text/plain'); // the API speaks JSON: anything else is a 415
  app.setNotFoundHandler((req) => {
    throw new AppError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`);
  });
  app.addHook('onRequest', authenticate(repos.apiKeys));
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // After authentication: a key's own budget; anonymous callers share one per address.
    keyGenerator: (req) => (req.actor ? `key:${req.actor.keyId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, context) => new AppError('rate_limited', `rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`),
  });
  app.addHook('onSend', auditRequests(repos.audit, clock));
  // Requests in flight when shutdown starts still get their answer, then the connection closes, so a
  // keep-alive client cannot hold the shutdown open until its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.get('/healthz', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { rateLimit: false } }, async (_req, reply) => {
    try {
      await db.ping();
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', reason: `database unreachable: ${(err as Error).message}` });
    }
  });

  const routes = new RouteTable(app);
  patientRoutes(routes, new PatientService({ patients: repos.patients, consent: repos.consent, careTeams: repos.careTeams, clock }));
  directoryRoutes(routes, { careTeams: new CareTeamService(repos.careTeams), staff: new StaffService(repos.staff, repos.careTeams) });
  adminRoutes(routes, { apiKeys: new ApiKeyService(repos.apiKeys, clock), audit: repos.audit });

  const openapi = buildOpenApi(routes.specs, { version });
  app.get('/docs', async () => openapi);
  app.get('/docs/openapi.json', async () => openapi);
  return app;
}
