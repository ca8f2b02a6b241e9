import type {} from '@fastify/rate-limit'; // route-level `rateLimit` config types; harmless when the plugin is absent
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DirectLineActivity, DirectLineIdentity, DirectLineStore } from '../../domain/webchat/directline.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { registerChatPage } from './page.js';
import {
  chatTokenBodySchema,
  conversationParamsSchema,
  inboundActivitySchema,
  parseInput,
  pollQuerySchema,
  startBodySchema,
  toNewActivity,
} from './schemas.js';
import {
  isDirectLineSecret,
  linkedSessionEnd,
  newConversationId,
  signDirectLineToken,
  tokenLifetime,
  verifyChatLink,
  verifyDirectLineToken,
  type DirectLineClaims,
  type TokenCheck,
} from './tokens.js';

/** What the Direct Line endpoint needs; `onUserActivity` is the bot's turn, run after the client has its answer. */
export interface DirectLineDeps {
  store: DirectLineStore;
  /** WEBCHAT_SECRET: signs tokens and patient links; every instance must share it. */
  secret: string;
  clock: Clock;
  onUserActivity(conversationId: string, activity: DirectLineActivity, identity: DirectLineIdentity): Promise<void>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Token lifetime; Direct Line clients refresh every 15 minutes, so at least 900 (default 1800). */
  tokenTtlSeconds?: number;
  /** WEBCHAT_SESSION_MAX_HOURS: a chat opened from a patient link ends this long after it opened, or when the link expires if sooner (default 8). */
  sessionMaxHours?: number;
  clinicName: string;
  /** Shown on the page as "In an emergency call <number>" (default 911). */
  emergencyNumber?: string;
}

const DEFAULT_TTL_SECONDS = 1800;
const DEFAULT_SESSION_MAX_HOURS = 8;
const SMALL_BODY = 4 * 1024;
/** 4,000 characters of text are at most 12 KB of UTF-8, plus the envelope and a small value. */
const ACTIVITY_BODY = 32 * 1024;

/**
 * Registers our Direct Line 3.0 endpoint (`/v3/directline`, polling only: no WebSocket stream) and the patient
 * chat page (`/chat`, `/chat/token`, `/chat/app.js`, `/chat/webchat.js`). Register it after the server's error
 * handler, so errors answer in the usual `{ error: { code, message, details } }` shape.
 */
export async function registerDirectLine(app: FastifyInstance, deps: DirectLineDeps): Promise<void> {
  const { store, secret, clock, logger } = deps;
  const ttl = deps.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  const sessionMaxHours = deps.sessionMaxHours ?? DEFAULT_SESSION_MAX_HOURS;
  if (secret.length < 32) throw new Error('web chat needs WEBCHAT_SECRET of at least 32 characters');
  if (!Number.isInteger(ttl) || ttl < 900 || ttl > 86_400) throw new Error('tokenTtlSeconds must be from 900 to 86400: clients refresh every 15 minutes');
  if (!(sessionMaxHours > 0)) throw new Error('sessionMaxHours must be positive');
  const bodyLimit = (max: number) => Math.min(app.initialConfig.bodyLimit ?? max, max);

  // Every token handed out, refreshes included, keeps the patient session's end and expires by it.
  const session = ({ conversationId, patientId, sessionEnd }: Pick<DirectLineClaims, 'conversationId' | 'patientId' | 'sessionEnd'>) => {
    const now = clock.now();
    return {
      conversationId,
      token: signDirectLineToken(secret, { conversationId, patientId, sessionEnd }, ttl, now),
      expires_in: tokenLifetime(ttl, sessionEnd, now),
    };
  };

  const requireToken = (req: FastifyRequest, conversationId?: string): DirectLineClaims => {
    const token = bearer(req);
    // Direct Line answers 403 for any bad token; its clients treat that as "expired" and stop retrying.
    if (!token) throw new AppError('forbidden', 'missing token: send Authorization: Bearer <token>');
    const check = verifyDirectLineToken(secret, token, clock.now());
    if (!check.ok) throw new AppError('forbidden', refusal[check.reason]);
    if (conversationId !== undefined && check.claims.conversationId !== conversationId) throw new AppError('forbidden', 'token is not for this conversation');
    return check.claims;
  };

  // Bot turns run after the answer; on shutdown, let the ones in flight finish before the database closes.
  const turns = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...turns]);
  });
  const runTurn = (conversationId: string, activity: DirectLineActivity, identity: DirectLineIdentity) => {
    const turn: Promise<void> = Promise.resolve()
      .then(() => deps.onUserActivity(conversationId, activity, identity))
      .catch((err: unknown) => logger.error({ conversationId, activityId: activity.id, failure: describeFailure(err) }, 'web chat bot turn failed'))
      .finally(() => turns.delete(turn));
    turns.add(turn);
  };

  const noStore = { onSend: async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => (reply.header('cache-control', 'no-store'), payload) };
  // Web Chat polls once a second per open chat: budget per conversation, not per address (patients share carrier NATs).
  const perConversation = (max: number) => ({
    rateLimit: { max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `directline:${(req.params as { id?: string }).id ?? ''}` },
  });

  app.post('/v3/directline/tokens/generate', { bodyLimit: bodyLimit(SMALL_BODY), ...noStore }, async (req) => {
    // An integrator's back end, with the derived credential (tokens.ts directLineSecret); anonymous chats only.
    const presented = bearer(req);
    if (!presented || !isDirectLineSecret(secret, presented)) throw new AppError('forbidden', 'invalid Direct Line secret');
    parseInput(startBodySchema, req.body ?? undefined, 'request body');
    return session({ conversationId: newConversationId() });
  });

  app.post('/v3/directline/tokens/refresh', { bodyLimit: bodyLimit(SMALL_BODY), ...noStore }, async (req) => session(requireToken(req)));

  app.post('/v3/directline/conversations', { bodyLimit: bodyLimit(SMALL_BODY), ...noStore }, async (req, reply) => {
    const claims = requireToken(req);
    parseInput(startBodySchema, req.body ?? undefined, 'request body');
    // The token names the conversation, so a client retrying its start gets the same one back (200).
    const created = await store.create(claims.conversationId, claims.patientId);
    if (created) logger.info({ conversationId: claims.conversationId, identified: Boolean(claims.patientId) }, 'web chat conversation started');
    return reply.code(created ? 201 : 200).send(session(claims));
  });

  app.get('/v3/directline/conversations/:id', { ...noStore }, async (req) => {
    const { id } = parseInput(conversationParamsSchema, req.params, 'path parameters');
    const claims = requireToken(req, id);
    parseInput(pollQuerySchema, req.query, 'query string'); // the watermark needs no answer here: the next poll sends it
    if (!(await store.get(id))) throw notFound('conversation');
    return session(claims);
  });

  app.post('/v3/directline/conversations/:id/activities', { bodyLimit: bodyLimit(ACTIVITY_BODY), config: perConversation(120), ...noStore }, async (req) => {
    const { id } = parseInput(conversationParamsSchema, req.params, 'path parameters');
    const claims = requireToken(req, id);
    if (req.body === undefined || req.body === null) throw new AppError('validation_failed', 'expected a JSON activity');
    const inbound = parseInput(inboundActivitySchema, req.body, 'activity');
    // Typing is accepted and dropped: a write per keystroke would buy the bot nothing.
    if (inbound.type === 'typing') return { id: '' };
    if (inbound.type === 'message' && !inbound.text?.trim() && inbound.value === undefined) throw new AppError('validation_failed', 'a message needs text');
    if (inbound.type === 'event' && !inbound.name) throw new AppError('validation_failed', 'an event needs a name');
    const { activity } = await store.append(id, toNewActivity(inbound, inbound.type));
    runTurn(id, activity, claims.patientId ? { patientId: claims.patientId } : {});
    return { id: activity.id };
  });

  app.get('/v3/directline/conversations/:id/activities', { config: perConversation(300), ...noStore }, async (req) => {
    const { id } = parseInput(conversationParamsSchema, req.params, 'path parameters');
    requireToken(req, id);
    const { watermark } = parseInput(pollQuerySchema, req.query, 'query string');
    const page = await store.since(id, watermark ? Number(watermark) : 0);
    if (!page) throw notFound('conversation');
    return { activities: page.activities, watermark: String(page.watermark) };
  });

  app.post('/chat/token', { bodyLimit: bodyLimit(SMALL_BODY), ...noStore }, async (req) => {
    // The page's own token: anonymous, or the patient named by a valid link. A bad link still gets a chat.
    const body = parseInput(chatTokenBodySchema, req.body ?? undefined, 'request body');
    let linked: Pick<DirectLineClaims, 'patientId' | 'sessionEnd'> = {};
    if (body?.link) {
      const check = verifyChatLink(secret, body.link, clock.now());
      if (check.ok) linked = { patientId: check.claims.patientId, sessionEnd: linkedSessionEnd(check.claims, sessionMaxHours, clock.now()) };
      else logger.info({ reason: check.reason }, 'web chat link refused; continuing anonymously');
    }
    const linkStatus = !body?.link ? 'none' : linked.patientId ? 'linked' : 'expired';
    return { ...session({ conversationId: newConversationId(), ...linked }), linkStatus };
  });

  await registerChatPage(app, { clinicName: deps.clinicName, emergencyNumber: deps.emergencyNumber ?? '911' });
}

/**
 * What a refused token is told, always with 403: Direct Line clients take it as "expired" and stop. A patient
 * session that ended does not go on anonymously (its transcript is the patient's): the page asks for a new link.
 */
const refusal: Record<Exclude<TokenCheck<unknown>, { ok: true }>['reason'], string> = {
  malformed: 'invalid token',
  bad_signature: 'invalid token',
  expired: 'token expired',
  session_ended: 'chat session ended: open your chat link again, or ask the clinic for a new one',
};

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() || undefined : undefined;
}

/** An error as safe to log: names, codes and stack frames, never a message (it may quote the patient). */
function describeFailure(err: unknown): { chain: string[]; frames?: string[] } {
  const chain: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && chain.length < 5) {
    const code = (current as { code?: unknown }).code;
    chain.push(typeof code === 'string' || typeof code === 'number' ? `${current.name} (${code})` : current.name);
    current = current.cause;
  }
  if (!(err instanceof Error)) return { chain: [typeof err] };
  return { chain, frames: err.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8) };
}
