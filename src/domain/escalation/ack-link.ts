import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed acknowledgement links. A token is `<payload>.<signature>`, both base64url: the payload is a small JSON
 * object (alert, staff member, expiry in epoch seconds, a random `jti`), the signature its HMAC-SHA256.
 * The token proves who was paged about what until when; it is a bearer credential, so pages carry it only in
 * links, and the acknowledging endpoint makes it single-use by inserting its `jti` under a unique index.
 */

/** What a token says. */
export interface AckClaims {
  alertId: string;
  staffId: string;
  expiresAt: Date;
}

/** The key that signs new tokens, and retired keys that still verify tokens signed before a rotation. */
export interface AckKeys {
  current: string;
  previous?: readonly string[];
}

export type AckVerification = { alertId: string; staffId: string; jti: string } | { error: 'malformed' | 'bad_signature' | 'expired' };

/** Keys shorter than this are refused: an HMAC key should carry at least as many bits as its output. */
const MIN_KEY_BYTES = 32;
const PART = /^[A-Za-z0-9_-]+$/;
/** A token longer than this is not one of ours; refusing early keeps a hostile query string from costing work. */
const MAX_TOKEN_LENGTH = 2048;

const payloadSchema = z.strictObject({
  v: z.literal(1),
  a: z.string().min(1),
  s: z.string().min(1),
  /** Expiry, seconds since the epoch. */
  e: z.number().int().positive(),
  j: z.string().regex(PART).min(16),
});

/**
 * Signs a token for one staff member and one alert. The expiry is kept to the second (rounded down).
 * @throws Error when the key is too short or a claim is empty or invalid (mistakes of ours, not runtime conditions).
 */
export function signAckToken(claims: AckClaims, key: string): string {
  assertKey(key);
  if (!claims.alertId || !claims.staffId || !Number.isFinite(claims.expiresAt.getTime())) {
    throw new Error('an acknowledgement token needs an alert id, a staff id and a valid expiry');
  }
  const payload = {
    v: 1,
    a: claims.alertId,
    s: claims.staffId,
    e: Math.floor(claims.expiresAt.getTime() / 1000),
    j: randomBytes(16).toString('base64url'),
  };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${mac(encoded, key).toString('base64url')}`;
}

/**
 * Checks a token: its shape, its signature against the current key and each previous one (compared in constant
 * time), then its expiry against `now`. The payload is parsed only once one of our keys signed it, so nothing an
 * attacker wrote is ever interpreted.
 */
export function verifyAckToken(token: string, keys: AckKeys, now: Date): AckVerification {
  if (token.length > MAX_TOKEN_LENGTH) return { error: 'malformed' };
  const parts = token.split('.');
  const [encoded, signature] = parts;
  if (parts.length !== 2 || !encoded || !signature || !PART.test(encoded) || !PART.test(signature)) return { error: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  // A non-canonical encoding of the same bytes would be a second spelling of one token: refuse it.
  if (given.toString('base64url') !== signature) return { error: 'malformed' };

  const allKeys = [keys.current, ...(keys.previous ?? [])];
  allKeys.forEach(assertKey);
  if (!allKeys.some((key) => sameBytes(given, mac(encoded, key)))) return { error: 'bad_signature' };

  const claims = readPayload(encoded);
  if (!claims) return { error: 'malformed' };
  if (now.getTime() >= claims.e * 1000) return { error: 'expired' };
  return { alertId: claims.a, staffId: claims.s, jti: claims.j };
}

function readPayload(encoded: string): z.infer<typeof payloadSchema> | undefined {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function mac(encodedPayload: string, key: string): Buffer {
  return createHmac('sha256', key).update(encodedPayload).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function assertKey(key: string): void {
  if (Buffer.byteLength(key) < MIN_KEY_BYTES) throw new Error(`an acknowledgement-link key must be at least ${MIN_KEY_BYTES} bytes long`);
}
