import { randomBytes, randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Container } from '../app/container.js';
import type { Conversations } from '../bot/conversations.js';
import { botFrameworkRoutes } from '../channels/botframework/routes.js';
import { smsRoutes } from '../channels/sms/routes.js';
import { registerDirectLine } from '../channels/webchat/directline.js';
import { AppError } from '../lib/errors.js';
import { redactUrl } from '../lib/redact.js';
import { AccessLog } from './access-log.js';
import { auditRequests } from './audit.js';
import { authenticate, authorize } from './auth.js';
import { registerDocs } from './docs.js';
import { errorHandler } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { trustProxyOption } from './proxy-trust.js';
import { RouteTable } from './route.js';
import { clientAddress, FailureBudget, rateLimitStore, WindowCounter } from './throttle.js';
import { apiFallbackRoutes, routerErrors } from './unmatched.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { escalationRoutes } from './routes/escalation.js';
import { ackLinkRoutes } from './routes/ack-link.js';
import { conversationRoutes } from './routes/conversations.js';
import { triageRoutes } from './routes/triage.js';
import { directoryRoutes } from './routes/directory.js';
import { medicationRoutes } from './routes/medication.js';
import { outreachRoutes } from './routes/outreach.js';
import { patientRoutes } from './routes/patients.js';
import { postopProtocolRoutes } from './routes/postop-protocols.js';
import { postopRoutes } from './routes/postop.js';
import { staffAccountRoutes } from './routes/staff-accounts.js';
import { consoleRoutes } from '../console/routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The conversational runtime (tests wait on `conversations.runtime.drain()`). */
    conversations: Conversations;
  }
}

/**
 * Builds the HTTP server with every route, on the services of the composition root (src/app/container.ts); the
 * caller listens and closes. Closing waits for the conversation turns in flight.
 */
export async function buildServer(container: Container, { version }: { version: string }): Promise<FastifyInstance> {
  const { config, logger, db, clock, conversations, patients } = container;
  const repos = db.repositories;
  // Failed authentications per address, one budget per kind, so forged webhooks cannot lock out API keys.
  const apiKeyFailures = new FailureBudget({ perMinute: config.AUTH_FAILURES_PER_MINUTE, clock, what: 'requests without a valid API key' });
  const signatureFailures = new FailureBudget({ perMinute: config.AUTH_FAILURES_PER_MINUTE, clock, what: 'webhooks with a bad signature' });
  const app = Fastify({
    loggerInstance: logger.child({}, {
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      },
    }) as FastifyBaseLogger,
    logController: new AccessLog(),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    frameworkErrors: routerErrors({ audit: repos.audit, clock, failures: apiKeyFailures }),
    genReqId: () => randomUUID(),
    // Fastify 5 closes idle keep-alive sockets on close and lets in-flight requests finish.
    return503OnClosing: true,
  });

  app.setErrorHandler(errorHandler);
  app.removeContentTypeParser('text/plain'); // the API speaks JSON: anything else is a 415
  app.addHook('onRequest', authenticate(repos.apiKeys, apiKeyFailures));
  const throttled = new WindowCounter({ windowMs: 60_000, clock });
  await app.register(rateLimit, {
    global: true,
    store: rateLimitStore(clock),
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // After authentication: a key's own budget. Anonymous callers: one per address and route, so a flood of
    // one route (or of unknown ones) does not use up another's.
    keyGenerator: (req) => (req.actor ? `key:${req.actor.keyId}` : `ip:${clientAddress(req)} ${req.routeOptions.url ?? '(no route)'}`),
    onExceeded: (req, key) => {
      req.throttle = { first: throttled.add(key) === 1, reason: `rate limit of ${config.RATE_LIMIT_PER_MINUTE} per minute exceeded by ${key}; further refusals in this minute are not logged or audited` };
    },
    errorResponseBuilder: (_req, context) => new AppError('rate_limited', `rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`),
  });
  app.addHook('preParsing', authorize); // after each route's rate limit, an onRequest hook of its own
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (req) => {
    throw new AppError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`);
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
  app.get('/readyz', { config: { rateLimit: false } }, async (req, reply) => {
    try {
      await db.ping();
      return { status: 'ready' };
    } catch (err) {
      // The driver's text may name hosts or the connection string: it goes to the log (scrubbed), callers get a code.
      req.log.warn({ err }, 'readiness check failed: database unreachable');
      return reply.code(503).send({ status: 'unavailable', reason: 'database_unreachable' });
    }
  });

  const webchatSecret = config.WEBCHAT_SECRET ?? randomBytes(32).toString('base64url');
  if (!config.WEBCHAT_SECRET) logger.warn('WEBCHAT_SECRET is not set: using a random one; chat links and tokens stop working at restart');
  app.decorate('conversations', conversations);
  app.addHook('onClose', () => conversations.runtime.drain());
  await app.register(async (scope) => {
    // Twilio posts forms; only these routes accept them.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    smsRoutes(scope, {
      authToken: config.TWILIO_AUTH_TOKEN, publicBaseUrl: container.publicBaseUrl, runtime: conversations.runtime, messages: repos.messages, signatureFailures,
      onCarrierOptOut: (address, patientId) => conversations.onCarrierOptOut('sms', address, patientId),
      staffInbound: (sms) => container.staffSms.handle(sms),
    });
  });

  await registerDirectLine(app, {
    store: container.webchatStore, secret: webchatSecret, clock, logger, clinicName: config.CLINIC_NAME, emergencyNumber: config.EMERGENCY_NUMBER,
    sessionMaxHours: config.WEBCHAT_SESSION_MAX_HOURS,
    onUserActivity: async (conversationId, activity, identity) => {
      if (activity.type !== 'message') return;
      const recorded = await conversations.runtime.record({
        channel: 'webchat', address: conversationId, providerMessageId: activity.id, text: activity.text ?? '', media: [], linkedPatientId: identity.patientId,
      });
      if (recorded) await conversations.runtime.process(recorded);
    },
  });
  ackLinkRoutes(app, { alerts: container.alerts, once: (key, holder) => repos.alerts.once(key, holder), keys: container.ackKeys, clock });
  botFrameworkRoutes(app, {
    config, bot: conversations.bot, gateway: conversations.gateway, messages: repos.messages, clock, onTurnError: conversations.onTurnError,
  });

  const routes = new RouteTable(app);
  apiFallbackRoutes(app);
  patientRoutes(routes, patients, container.medication, container.postop);
  conversationRoutes(routes, { patients, messages: repos.messages });
  alertRoutes(routes, { alerts: container.alerts });
  escalationRoutes(routes, { rules: container.escalationRules, rotations: repos.rotations, careTeams: container.careTeams, clock });
  triageRoutes(routes, container.symptoms);
  directoryRoutes(routes, { careTeams: container.careTeams, staff: container.staff });
  adminRoutes(routes, { apiKeys: container.apiKeys, audit: container.audit });
  medicationRoutes(routes, { medication: container.medication });
  outreachRoutes(routes, { preview: container.outreachPreview });
  postopProtocolRoutes(routes, { protocols: container.postopProtocols });
  postopRoutes(routes, { postop: container.postop });
  staffAccountRoutes(routes, { accounts: container.staffAccounts });
  await consoleRoutes(app, { container, messages: repos.messages });

  const openapi = buildOpenApi(routes.specs, { version });
  await registerDocs(app, openapi);
  return app;
}
