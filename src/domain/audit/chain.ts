import { createHash } from 'node:crypto';

/** What happened, by whom, to which patients, with what outcome. Never phone numbers or message bodies. */
export interface AuditEntry {
  at: Date;
  actor: { keyId?: string; role?: string; kind: 'api_key' | 'anonymous' | 'cli' | 'system' };
  action: string;
  outcome: 'success' | 'denied' | 'rejected' | 'error';
  /** HTTP status for API requests. */
  status?: number;
  patientIds: string[];
  resource?: { type: string; id?: string };
  requestId?: string;
  reason?: string;
}

/** An entry in the chain: its position, the previous event's hash and its own. */
export interface AuditEvent extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of an event: SHA-256 over a canonical JSON of every field but the hash itself. */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** JSON with sorted keys and dates as ISO strings, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first event that does not fit, and why. */
  brokenAt?: number;
  reason?: string;
}

/**
 * Verifies events in sequence order: each one's hash must match its content, link to the previous hash and
 * follow it without a gap. `head` (the last position the store recorded) detects events cut from the end.
 */
export async function verifyChain(events: AsyncIterable<AuditEvent>, head?: { seq: number; hash: string }): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const event of events) {
    const { hash, ...rest } = event;
    if (event.seq !== expectedSeq) return { ok: false, checked: expectedSeq - 1, brokenAt: expectedSeq, reason: `event ${expectedSeq} is missing` };
    if (event.prevHash !== prevHash) return { ok: false, checked: expectedSeq - 1, brokenAt: event.seq, reason: `event ${event.seq} does not link to event ${event.seq - 1}` };
    if (hashEvent(rest) !== hash) return { ok: false, checked: expectedSeq - 1, brokenAt: event.seq, reason: `event ${event.seq} was altered (hash mismatch)` };
    prevHash = hash;
    expectedSeq += 1;
  }
  const last = expectedSeq - 1;
  if (head && (head.seq > last || (head.seq === last && last > 0 && head.hash !== prevHash))) {
    return { ok: false, checked: last, brokenAt: last + 1, reason: `the chain ends at event ${last} but event ${head.seq} was recorded` };
  }
  return { ok: true, checked: last };
}
