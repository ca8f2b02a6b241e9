import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditKey, AuditKeyring } from './keys.js';

/** What happened, by whom, to which patients, with what outcome. Never phone numbers or message bodies. */
export interface AuditEntry {
  at: Date;
  actor: { keyId?: string; role?: string; staffId?: string; kind: 'api_key' | 'anonymous' | 'cli' | 'system' | 'staff' };
  action: string;
  outcome: 'success' | 'denied' | 'rejected' | 'error';
  /** HTTP status for API requests. */
  status?: number;
  patientIds: string[];
  resource?: { type: string; id?: string };
  requestId?: string;
  reason?: string;
}

/**
 * An entry in the chain: its position, the previous event's hash, its own hash and its MAC. Events written
 * before audit keys have neither `macKeyId` nor `mac`.
 */
export interface AuditEvent extends AuditEntry {
  seq: number;
  prevHash: string;
  /** The audit key that signed `mac` (an id, not the key). */
  macKeyId?: string;
  hash: string;
  mac?: string;
}

/** What the hash and the MAC cover: every field but themselves. */
export type AuditEventContent = Omit<AuditEvent, 'hash' | 'mac'>;

/** The last event as an operator keeps it outside the database (`npm run cli -- audit head`). */
export interface ExportedHead {
  seq: number;
  hash: string;
  mac?: string;
  at: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of an event: SHA-256 over a canonical JSON of its content (prevHash included, so it chains). */
export function hashEvent(content: AuditEventContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The MAC of an event: HMAC-SHA256 with an audit key over the same content, so only a key holder can write one. */
export function macEvent(key: AuditKey, content: AuditEventContent): string {
  return createHmac('sha256', key.secret).update(canonicalJson(content)).digest('hex');
}

/** Links an entry to the chain after `prev` and signs it with the keyring's current key. */
export function sealEvent(entry: AuditEntry, prev: { seq: number; hash: string }, keys: AuditKeyring): AuditEvent {
  const content: AuditEventContent = { ...entry, seq: prev.seq + 1, prevHash: prev.hash, macKeyId: keys.current.id };
  return { ...content, hash: hashEvent(content), mac: macEvent(keys.current, content) };
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
  /** Events checked by hash only: written before audit keys, or all of them when no keyring was given. */
  notKeyed?: number;
  /** The last event checked, to keep outside the database. */
  head?: ExportedHead;
  /** The first event that does not fit, and why. */
  brokenAt?: number;
  reason?: string;
}

export interface VerifyOptions {
  /** Checks each event's MAC. Without it only hashes are checked, which anyone with database access can redo. */
  keys?: AuditKeyring;
  /** A head kept outside the database: the chain must still hold exactly that event at that position. */
  exported?: ExportedHead;
}

/**
 * Verifies events in sequence order: each one's hash must match its content, link to the previous hash and
 * follow it without a gap, and (given the keys) carry a MAC from a known audit key. Events without a MAC
 * may only open the chain (written before audit keys), and a keyed event must follow them: its MAC covers
 * their hashes through prevHash. `recorded` (the head the store keeps) and `exported` (an operator's copy)
 * detect events cut from the end; only `exported` survives someone who rewrites the database.
 */
export async function verifyChain(events: AsyncIterable<AuditEvent>, recorded?: { seq: number; hash: string }, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { keys, exported } = options;
  let prevHash = GENESIS_HASH;
  let last: AuditEvent | undefined;
  let firstKeyed: number | undefined;
  let notKeyed = 0;
  const checked = () => last?.seq ?? 0;
  const broken = (brokenAt: number, reason: string): VerifyResult => ({ ok: false, checked: checked(), ...(notKeyed ? { notKeyed } : {}), brokenAt, reason });

  for await (const event of events) {
    const { hash, mac, ...content } = event;
    const seq = checked() + 1;
    if (event.seq !== seq) return broken(seq, `event ${seq} is missing`);
    if (event.prevHash !== prevHash) return broken(seq, `event ${seq} does not link to event ${seq - 1}`);
    if (hashEvent(content) !== hash) return broken(seq, `event ${seq} was altered (hash mismatch)`);
    if (mac === undefined) {
      if (firstKeyed !== undefined || event.macKeyId !== undefined) return broken(seq, `event ${seq} has no MAC, but ${firstKeyed ? `event ${firstKeyed} before it has one` : 'names an audit key'} (MAC removed)`);
      notKeyed += 1;
    } else {
      firstKeyed ??= seq;
      if (keys) {
        const key = keys.find(event.macKeyId);
        if (!key) return broken(seq, `event ${seq} is signed with audit key ${event.macKeyId ?? '(none)'}, which this CareLoop does not hold (AUDIT_KEY, AUDIT_PREVIOUS_KEYS or the key file)`);
        if (!sameHex(macEvent(key, content), mac)) return broken(seq, `event ${seq} was altered (MAC mismatch: rewritten without the audit key)`);
      } else {
        notKeyed += 1;
      }
    }
    if (exported?.seq === seq && (exported.hash !== hash || (exported.mac !== undefined && exported.mac !== mac))) {
      return broken(seq, `event ${seq} is not the event of the exported head (rewritten)`);
    }
    prevHash = hash;
    last = event;
  }

  const end = checked();
  if (recorded && (recorded.seq > end || (recorded.seq === end && end > 0 && recorded.hash !== prevHash))) {
    return broken(end + 1, `the chain ends at event ${end} but event ${recorded.seq} was recorded`);
  }
  if (exported && exported.seq > end) return broken(end + 1, `the chain ends at event ${end} but the exported head is event ${exported.seq} (events cut from the end)`);
  if (keys && last && last.mac === undefined) {
    return broken(1, `events 1-${end} are not keyed (written before audit keys) and no keyed event follows to seal them; the next audited request will`);
  }
  const head = last && { seq: last.seq, hash: last.hash, ...(last.mac ? { mac: last.mac } : {}), at: last.at.toISOString() };
  return { ok: true, checked: end, ...(notKeyed ? { notKeyed } : {}), ...(head ? { head } : {}) };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
