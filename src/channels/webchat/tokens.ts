import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed, expiring tokens for web chat: `<base64url JSON payload>.<base64url HMAC-SHA256>`. They are checked
 * with the secret alone, never with a database read, because Web Chat presents one on every poll.
 *
 * Each purpose signs with its own key derived from WEBCHAT_SECRET, so a patient link can never be replayed
 * as a Direct Line token or the other way round, and the integrator credential for /tokens/generate is a
 * one-way derivation that cannot sign anything.
 */

type Purpose = 'directline-token' | 'chat-link' | 'generate-credential';

const MAX_TOKEN_LENGTH = 1024;

/** Conversation ids are ours (base64url), so a strict pattern also keeps `|` out of activity ids. */
export const conversationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected a conversation id');
const patientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const expSchema = z.number().int().positive();

// A token naming a patient must carry its session's end: without one, refreshing would keep the identity forever.
const directLineClaimsSchema = z
  .strictObject({ conversationId: conversationIdSchema, patientId: patientIdSchema.optional(), sessionEnd: expSchema.optional(), exp: expSchema })
  .refine((claims) => claims.patientId === undefined || claims.sessionEnd !== undefined, 'a patient session needs its end');
const chatLinkClaimsSchema = z.strictObject({ patientId: patientIdSchema, exp: expSchema });

/**
 * What a Direct Line token says. `exp` is in seconds since the epoch, as in JWT. `sessionEnd` (same unit) comes
 * with `patientId`: the absolute end of the patient's session, which no token and no refresh goes past.
 */
export type DirectLineClaims = z.infer<typeof directLineClaimsSchema>;

/**
 * Why a token was refused; `expired` and `session_ended` only when the signature was good. `session_ended`:
 * the token expired at the end of its patient session, so only a new chat link starts another.
 */
export type TokenCheck<T> = { ok: true; claims: T } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'session_ended' };

const keyFor = (secret: string, purpose: Purpose): Buffer => createHmac('sha256', secret).update(`careloop webchat ${purpose} v1`).digest();

function sign(secret: string, purpose: Purpose, claims: object): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', keyFor(secret, purpose)).update(payload).digest('base64url');
  return `${payload}.${signature}`;
}

function verify<T extends { exp: number; sessionEnd?: number }>(secret: string, purpose: Purpose, token: string, schema: z.ZodType<T>, now: Date): TokenCheck<T> {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  const [payload, signature] = parts;
  if (parts.length !== 2 || !payload || !signature) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', keyFor(secret, purpose)).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const { exp, sessionEnd } = parsed.data;
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: sessionEnd !== undefined && sessionEnd <= exp ? 'session_ended' : 'expired' };
  return { ok: true, claims: parsed.data };
}

const expiresAt = (now: Date, seconds: number) => Math.floor(now.getTime() / 1000) + seconds;

/** A new unguessable conversation id (128 random bits). */
export const newConversationId = (): string => randomBytes(16).toString('base64url');

/**
 * Signs a Direct Line token for one conversation, optionally carrying the patient the chat link named and the
 * end of that patient's session; the token expires in `ttlSeconds` or at the session's end, whichever is first.
 */
export function signDirectLineToken(
  secret: string,
  claims: Pick<DirectLineClaims, 'conversationId' | 'patientId' | 'sessionEnd'>,
  ttlSeconds: number,
  now: Date,
): string {
  return sign(secret, 'directline-token', { ...claims, exp: expiresAt(now, tokenLifetime(ttlSeconds, claims.sessionEnd, now)) });
}

/** Seconds a new Direct Line token lives: `ttlSeconds`, cut short by the end of its patient session. */
export const tokenLifetime = (ttlSeconds: number, sessionEnd: number | undefined, now: Date): number =>
  sessionEnd === undefined ? ttlSeconds : Math.min(ttlSeconds, sessionEnd - Math.floor(now.getTime() / 1000));

/**
 * When a session opened from a chat link must end (seconds since the epoch): at the link's expiry, or
 * `maxHours` after opening, whichever comes first. Opening the link again, while it is valid, starts a new session.
 */
export const linkedSessionEnd = (link: { exp: number }, maxHours: number, now: Date): number =>
  Math.min(link.exp, expiresAt(now, Math.round(maxHours * 3600)));

/** Checks a Direct Line token's signature and expiry; no database read. */
export function verifyDirectLineToken(secret: string, token: string, now: Date): TokenCheck<DirectLineClaims> {
  return verify(secret, 'directline-token', token, directLineClaimsSchema, now);
}

/**
 * A patient's personal chat link token, for `GET /chat?link=<token>` (sent by SMS, for instance). Whoever holds
 * it chats as that patient until it expires, so keep `ttlHours` short (WEBCHAT_LINK_TTL_HOURS).
 */
export function createChatLink(secret: string, patientId: string, ttlHours: number, now: Date): string {
  if (!patientIdSchema.safeParse(patientId).success) throw new Error('a chat link needs a patient id of letters, digits, _ or -');
  return sign(secret, 'chat-link', { patientId, exp: expiresAt(now, Math.round(ttlHours * 3600)) });
}

/** Checks a patient link token; no database read. */
export function verifyChatLink(secret: string, link: string, now: Date): TokenCheck<{ patientId: string; exp: number }> {
  return verify(secret, 'chat-link', link, chatLinkClaimsSchema, now);
}

/**
 * The credential an integrator's back end sends to `POST /v3/directline/tokens/generate` (Direct Line's "secret").
 * Derived one way from WEBCHAT_SECRET: it can start anonymous conversations, but cannot sign tokens or links.
 */
export function directLineSecret(secret: string): string {
  return `dls_${keyFor(secret, 'generate-credential').toString('base64url')}`;
}

/** Compares a presented credential with the derived one in constant time. */
export function isDirectLineSecret(secret: string, presented: string): boolean {
  const expected = Buffer.from(directLineSecret(secret));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
