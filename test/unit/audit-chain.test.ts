import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, hashEvent, verifyChain, type AuditEntry, type AuditEvent } from '../../src/domain/audit/chain.js';

function entry(n: number): AuditEntry {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 9, n)),
    actor: { kind: 'api_key', keyId: `key${n}`, role: 'admin' },
    action: 'patients.read',
    outcome: 'success',
    status: 200,
    patientIds: [`p${n}`],
  };
}

/** A correctly linked chain of `length` events, built the way the store appends them. */
function buildChain(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const unhashed = { ...entry(seq), seq, prevHash };
    const event = { ...unhashed, hash: hashEvent(unhashed) };
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

async function* stream(events: AuditEvent[]): AsyncIterable<AuditEvent> {
  yield* events;
}

function at<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('writes dates as ISO strings', () => {
    expect(canonicalJson({ at: new Date('2026-01-01T09:00:00Z') })).toBe('{"at":"2026-01-01T09:00:00.000Z"}');
  });

  it('drops undefined fields, so absent and undefined hash the same', () => {
    expect(canonicalJson({ a: 1, reason: undefined })).toBe('{"a":1}');
  });

  it('keeps array order', () => {
    expect(canonicalJson(['b', 'a'])).toBe('["b","a"]');
  });
});

describe('hashEvent', () => {
  it('is a stable SHA-256 hex digest that ignores key order', () => {
    const unhashed = { ...entry(1), seq: 1, prevHash: GENESIS_HASH };
    const reordered = Object.fromEntries(Object.entries(unhashed).reverse()) as typeof unhashed;
    expect(hashEvent(unhashed)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(reordered)).toBe(hashEvent(unhashed));
  });

  it('changes when any field changes', () => {
    const unhashed = { ...entry(1), seq: 1, prevHash: GENESIS_HASH };
    expect(hashEvent({ ...unhashed, outcome: 'denied' })).not.toBe(hashEvent(unhashed));
    expect(hashEvent({ ...unhashed, patientIds: ['p2'] })).not.toBe(hashEvent(unhashed));
  });
});

describe('verifyChain', () => {
  it('accepts a correct chain and counts its events', async () => {
    const events = buildChain(4);
    const last = at(events, 3);
    expect(await verifyChain(stream(events), { seq: last.seq, hash: last.hash })).toEqual({ ok: true, checked: 4 });
  });

  it('accepts an empty chain with no head', async () => {
    expect(await verifyChain(stream([]))).toEqual({ ok: true, checked: 0 });
  });

  it('reports an altered field at that event', async () => {
    const events = buildChain(4);
    events[2] = { ...at(events, 2), outcome: 'denied' };
    const result = await verifyChain(stream(events));
    expect(result).toMatchObject({ ok: false, checked: 2, brokenAt: 3 });
    expect(result.reason).toMatch(/altered/);
  });

  it('reports a removed middle event as missing', async () => {
    const events = buildChain(4);
    events.splice(1, 1);
    const result = await verifyChain(stream(events));
    expect(result).toMatchObject({ ok: false, checked: 1, brokenAt: 2 });
    expect(result.reason).toMatch(/missing/);
  });

  it('reports an event rehashed onto a different predecessor as not linking', async () => {
    const events = buildChain(4);
    const relinked = { ...at(events, 2), prevHash: at(events, 0).hash };
    events[2] = { ...relinked, hash: hashEvent(relinked) };
    const result = await verifyChain(stream(events));
    expect(result).toMatchObject({ ok: false, brokenAt: 3 });
    expect(result.reason).toMatch(/does not link/);
  });

  it('reports reordered events', async () => {
    const events = buildChain(3);
    const result = await verifyChain(stream([at(events, 0), at(events, 2), at(events, 1)]));
    expect(result).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects events cut from the end when the head is beyond the last event', async () => {
    const events = buildChain(4);
    const head = { seq: 4, hash: at(events, 3).hash };
    const result = await verifyChain(stream(events.slice(0, 2)), head);
    expect(result).toMatchObject({ ok: false, checked: 2, brokenAt: 3 });
    expect(result.reason).toMatch(/ends at event 2 but event 4/);
  });

  it('detects a truncated chain that was emptied completely', async () => {
    const events = buildChain(2);
    const result = await verifyChain(stream([]), { seq: 2, hash: at(events, 1).hash });
    expect(result).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });
  });

  it('detects a last event replaced by a valid one the head does not know', async () => {
    const events = buildChain(3);
    const recordedHead = { seq: 3, hash: at(events, 2).hash };
    const forged = { ...entry(99), seq: 3, prevHash: at(events, 1).hash };
    events[2] = { ...forged, hash: hashEvent(forged) };
    expect(await verifyChain(stream(events), recordedHead)).toMatchObject({ ok: false, checked: 3 });
  });
});
