import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, hashEvent, macEvent, sealEvent, verifyChain, type AuditEntry, type AuditEvent } from '../../src/domain/audit/chain.js';
import { AuditKeyring, auditKeyId, loadAuditKeys, type AuditKey } from '../../src/domain/audit/keys.js';

const KEY = 'k'.repeat(40);
const OTHER_KEY = 'o'.repeat(40);
const keyring = new AuditKeyring(KEY);

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

/** A correctly linked chain of `length` events without MACs, as written before audit keys. */
function buildLegacyChain(length: number, first: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = first;
  for (let seq = prev.seq + 1; seq <= first.seq + length; seq += 1) {
    const unhashed = { ...entry(seq), seq, prevHash: prev.hash };
    const event = { ...unhashed, hash: hashEvent(unhashed) };
    events.push(event);
    prev = event;
  }
  return events;
}

/** A keyed chain built the way the store appends it, continuing `before` when given. */
function buildChain(length: number, keys: AuditKeyring = keyring, before: AuditEvent[] = []): AuditEvent[] {
  const events = [...before];
  for (let n = 0; n < length; n += 1) events.push(sealEvent(entry(events.length + 1), events.at(-1) ?? { seq: 0, hash: GENESIS_HASH }, keys));
  return events;
}

/**
 * What someone with write access to the database can do: replace event `seq` with `changes`, then recompute
 * that event's hash and every later prevHash and hash. Without the key, the MACs stay as they were, unless
 * `resign` is given (someone holding a key, or pretending to).
 */
function rewrite(events: AuditEvent[], seq: number, changes: Partial<AuditEvent>, resign?: { current: AuditKey }): AuditEvent[] {
  const result: AuditEvent[] = [];
  for (const original of events) {
    const prev = result.at(-1);
    const { hash: _hash, mac, ...content } = original.seq === seq ? { ...original, ...changes } : original;
    const relinked = { ...content, prevHash: prev ? prev.hash : GENESIS_HASH, ...(resign ? { macKeyId: resign.current.id } : {}) };
    const resigned = resign ? macEvent(resign.current, relinked) : mac;
    result.push({ ...relinked, hash: hashEvent(relinked), ...(resigned ? { mac: resigned } : {}) });
  }
  return result;
}

async function* stream(events: AuditEvent[]): AsyncIterable<AuditEvent> {
  yield* events;
}

function at<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

const headOf = (event: AuditEvent) => ({ seq: event.seq, hash: event.hash, ...(event.mac ? { mac: event.mac } : {}), at: event.at.toISOString() });

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

describe('hashEvent and macEvent', () => {
  it('hashEvent is a stable SHA-256 hex digest that ignores key order', () => {
    const unhashed = { ...entry(1), seq: 1, prevHash: GENESIS_HASH };
    const reordered = Object.fromEntries(Object.entries(unhashed).reverse()) as typeof unhashed;
    expect(hashEvent(unhashed)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(reordered)).toBe(hashEvent(unhashed));
  });

  it('both change when any field changes', () => {
    const unhashed = { ...entry(1), seq: 1, prevHash: GENESIS_HASH };
    expect(hashEvent({ ...unhashed, outcome: 'denied' })).not.toBe(hashEvent(unhashed));
    expect(hashEvent({ ...unhashed, patientIds: ['p2'] })).not.toBe(hashEvent(unhashed));
    expect(macEvent(keyring.current, { ...unhashed, outcome: 'denied' })).not.toBe(macEvent(keyring.current, unhashed));
  });

  it('a MAC depends on the key, a hash does not', () => {
    const unhashed = { ...entry(1), seq: 1, prevHash: GENESIS_HASH };
    expect(macEvent(keyring.current, unhashed)).toMatch(/^[0-9a-f]{64}$/);
    expect(macEvent(new AuditKeyring(OTHER_KEY).current, unhashed)).not.toBe(macEvent(keyring.current, unhashed));
  });

  it('sealEvent links to the previous event and names its key by id, never by the secret', () => {
    const [first, second] = buildChain(2);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, macKeyId: auditKeyId(KEY) });
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash });
    expect(JSON.stringify([first, second])).not.toContain(KEY);
  });
});

describe('verifyChain: the hash chain', () => {
  it('accepts a correct chain, counts its events and returns its head', async () => {
    const events = buildLegacyChain(4);
    const last = at(events, 3);
    expect(await verifyChain(stream(events), { seq: last.seq, hash: last.hash })).toEqual({ ok: true, checked: 4, notKeyed: 4, head: headOf(last) });
  });

  it('accepts an empty chain with no head', async () => {
    expect(await verifyChain(stream([]))).toEqual({ ok: true, checked: 0 });
    expect(await verifyChain(stream([]), undefined, { keys: keyring })).toEqual({ ok: true, checked: 0 });
  });

  it('reports an altered field at that event', async () => {
    const events = buildChain(4);
    events[2] = { ...at(events, 2), outcome: 'denied' };
    const result = await verifyChain(stream(events), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, checked: 2, brokenAt: 3 });
    expect(result.reason).toMatch(/altered/);
  });

  it('reports a removed middle event as missing', async () => {
    const events = buildChain(4);
    events.splice(1, 1);
    const result = await verifyChain(stream(events), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, checked: 1, brokenAt: 2 });
    expect(result.reason).toMatch(/missing/);
  });

  it('reports an event rehashed onto a different predecessor as not linking', async () => {
    const events = buildLegacyChain(4);
    const { hash: _hash, ...relinked } = { ...at(events, 2), prevHash: at(events, 0).hash };
    events[2] = { ...relinked, hash: hashEvent(relinked) };
    const result = await verifyChain(stream(events));
    expect(result).toMatchObject({ ok: false, brokenAt: 3 });
    expect(result.reason).toMatch(/does not link/);
  });

  it('reports reordered events', async () => {
    const events = buildChain(3);
    const result = await verifyChain(stream([at(events, 0), at(events, 2), at(events, 1)]), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects events cut from the end when the recorded head is beyond the last event', async () => {
    const events = buildChain(4);
    const head = { seq: 4, hash: at(events, 3).hash };
    const result = await verifyChain(stream(events.slice(0, 2)), head, { keys: keyring });
    expect(result).toMatchObject({ ok: false, checked: 2, brokenAt: 3 });
    expect(result.reason).toMatch(/ends at event 2 but event 4/);
  });

  it('detects a truncated chain that was emptied completely', async () => {
    const events = buildChain(2);
    const result = await verifyChain(stream([]), { seq: 2, hash: at(events, 1).hash }, { keys: keyring });
    expect(result).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });
  });

  it('detects a last event replaced by a valid one the recorded head does not know', async () => {
    const events = buildLegacyChain(3);
    const recordedHead = { seq: 3, hash: at(events, 2).hash };
    const forged = { ...entry(99), seq: 3, prevHash: at(events, 1).hash };
    events[2] = { ...forged, hash: hashEvent(forged) };
    expect(await verifyChain(stream(events), recordedHead)).toMatchObject({ ok: false, checked: 3 });
  });
});

describe('verifyChain: MACs with an audit key', () => {
  it('accepts an untouched chain with the right key: every MAC checked, none hash-only', async () => {
    const events = buildChain(4);
    const last = at(events, 3);
    expect(await verifyChain(stream(events), { seq: 4, hash: last.hash }, { keys: keyring })).toEqual({ ok: true, checked: 4, head: headOf(last) });
  });

  it('names the event rewritten by someone without the key, though every later hash and the head were recomputed', async () => {
    const events = rewrite(buildChain(5), 2, { outcome: 'denied' });
    const last = at(events, 4);
    // The hash chain alone is consistent again: without a key this rewrite passes (the gap this closes).
    expect(await verifyChain(stream(events), { seq: 5, hash: last.hash })).toMatchObject({ ok: true, checked: 5 });
    const result = await verifyChain(stream(events), { seq: 5, hash: last.hash }, { keys: keyring });
    expect(result).toMatchObject({ ok: false, checked: 1, brokenAt: 2 });
    expect(result.reason).toBe('event 2 was altered (MAC mismatch: rewritten without the audit key)');
  });

  it('fails with a wrong key, naming the first event and the key it was signed with', async () => {
    const events = buildChain(3);
    const result = await verifyChain(stream(events), undefined, { keys: new AuditKeyring(OTHER_KEY) });
    expect(result).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });
    expect(result.reason).toContain(`signed with audit key ${auditKeyId(KEY)}, which this CareLoop does not hold`);
  });

  it('rejects a rewrite re-signed with a key of the attacker, and one that claims our key id', async () => {
    const resigned = rewrite(buildChain(4), 3, { outcome: 'error' }, new AuditKeyring(OTHER_KEY));
    expect(await verifyChain(stream(resigned), undefined, { keys: keyring })).toMatchObject({ ok: false, brokenAt: 1 });

    const claimed = rewrite(buildChain(4), 3, { outcome: 'error' }, { current: { id: keyring.current.id, secret: OTHER_KEY } });
    const result = await verifyChain(stream(claimed), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, brokenAt: 1 });
    expect(result.reason).toMatch(/MAC mismatch/);
  });

  it('rejects an event whose MAC was removed, and a chain stripped of every MAC', async () => {
    const events = buildChain(4);
    const { mac: _mac, ...stripped } = at(events, 2);
    events[2] = stripped;
    const result = await verifyChain(stream(events), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, brokenAt: 3 });
    expect(result.reason).toMatch(/no MAC.*event 1 before it has one/);

    // Stripped of MACs and key ids, rehashed: a plain hash chain, which only an unkeyed verifier accepts.
    const downgraded = buildChain(4).map(({ mac: _m, macKeyId: _k, ...rest }) => rest);
    const rehashed = rewrite(downgraded, 0, {});
    expect(await verifyChain(stream(rehashed))).toMatchObject({ ok: true });
    const keyed = await verifyChain(stream(rehashed), undefined, { keys: keyring });
    expect(keyed).toMatchObject({ ok: false, brokenAt: 1, notKeyed: 4 });
    expect(keyed.reason).toMatch(/events 1-4 are not keyed/);
  });

  it('verifies events signed before a rotation with the retired key, and fails without it', async () => {
    const rotated = new AuditKeyring(OTHER_KEY, [KEY]);
    const events = buildChain(2, rotated, buildChain(2, keyring));
    expect(events.map((e) => e.macKeyId)).toEqual([auditKeyId(KEY), auditKeyId(KEY), auditKeyId(OTHER_KEY), auditKeyId(OTHER_KEY)]);
    expect(await verifyChain(stream(events), undefined, { keys: rotated })).toMatchObject({ ok: true, checked: 4 });
    expect(await verifyChain(stream(events), undefined, { keys: new AuditKeyring(OTHER_KEY) })).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('without a keyring, checks hashes only and says so', async () => {
    expect(await verifyChain(stream(buildChain(3)))).toMatchObject({ ok: true, checked: 3, notKeyed: 3 });
  });
});

describe('verifyChain: events written before audit keys', () => {
  it('accepts them at the start of the chain, sealed by the keyed events after them, and counts them', async () => {
    const events = buildChain(2, keyring, buildLegacyChain(3));
    expect(await verifyChain(stream(events), undefined, { keys: keyring })).toMatchObject({ ok: true, checked: 5, notKeyed: 3 });
  });

  it('names the first keyed event when an old event is rewritten and every hash after it recomputed', async () => {
    const events = rewrite(buildChain(2, keyring, buildLegacyChain(3)), 2, { outcome: 'denied' });
    const result = await verifyChain(stream(events), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, brokenAt: 4 });
    expect(result.reason).toMatch(/MAC mismatch/);
  });

  it('reports a chain of old events only as not keyed until a keyed event follows', async () => {
    const result = await verifyChain(stream(buildLegacyChain(3)), undefined, { keys: keyring });
    expect(result).toMatchObject({ ok: false, checked: 3, notKeyed: 3 });
    expect(result.reason).toBe('events 1-3 are not keyed (written before audit keys) and no keyed event follows to seal them; the next audited request will');
  });
});

describe('verifyChain: a head exported outside the database', () => {
  it('accepts the chain that still holds the exported event, also after it grew', async () => {
    const events = buildChain(5);
    const exported = headOf(at(events, 2));
    expect(await verifyChain(stream(events), undefined, { keys: keyring, exported })).toMatchObject({ ok: true, checked: 5 });
  });

  it('catches events cut from the end, though the recorded head was lowered to match', async () => {
    const events = buildChain(5);
    const exported = headOf(at(events, 4));
    const cut = events.slice(0, 3);
    const lowered = { seq: 3, hash: at(cut, 2).hash };
    expect(await verifyChain(stream(cut), lowered, { keys: keyring })).toMatchObject({ ok: true });
    const result = await verifyChain(stream(cut), lowered, { keys: keyring, exported });
    expect(result).toMatchObject({ ok: false, checked: 3, brokenAt: 4 });
    expect(result.reason).toMatch(/exported head is event 5 \(events cut from the end\)/);
  });

  it('catches a full rewrite by someone holding the key', async () => {
    const events = buildChain(5);
    const exported = headOf(at(events, 3));
    const rewritten = rewrite(events, 2, { outcome: 'denied' }, keyring);
    expect(await verifyChain(stream(rewritten), undefined, { keys: keyring })).toMatchObject({ ok: true, checked: 5 });
    const result = await verifyChain(stream(rewritten), undefined, { keys: keyring, exported });
    expect(result).toMatchObject({ ok: false, checked: 3, brokenAt: 4 });
    expect(result.reason).toBe('event 4 is not the event of the exported head (rewritten)');
  });
});

describe('loadAuditKeys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-audit-key-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const settings = (file: string) => ({ keyFile: path.join(dir, file), sharedDatabase: false, production: false });

  it('uses AUDIT_KEY when set, and keeps retired keys for verification', () => {
    const loaded = loadAuditKeys({ ...settings('unused.key'), key: KEY, previousKeys: [OTHER_KEY], sharedDatabase: true, production: true });
    expect(loaded.source).toBe('AUDIT_KEY');
    expect(loaded.keyring.current.id).toBe(auditKeyId(KEY));
    expect(loaded.keyring.find(auditKeyId(OTHER_KEY))?.secret).toBe(OTHER_KEY);
    expect(fs.existsSync(path.join(dir, 'unused.key'))).toBe(false);
  });

  it('without AUDIT_KEY, creates a random key file readable by its owner only, and reuses it', () => {
    const first = loadAuditKeys(settings('sub/audit.key'));
    const file = path.join(dir, 'sub/audit.key');
    expect(first).toMatchObject({ source: 'file', file });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toHaveLength(43);
    expect(loadAuditKeys(settings('sub/audit.key')).keyring.current.id).toBe(first.keyring.current.id);
    expect(loadAuditKeys(settings('another.key')).keyring.current.id).not.toBe(first.keyring.current.id);
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['audit.key']);
  });

  it('refuses a key file in production when instances share the database, and allows it for the embedded one', () => {
    expect(() => loadAuditKeys({ ...settings('prod.key'), sharedDatabase: true, production: true })).toThrow(/AUDIT_KEY is required in production/);
    expect(fs.existsSync(path.join(dir, 'prod.key'))).toBe(false);
    expect(loadAuditKeys({ ...settings('prod.key'), production: true }).source).toBe('file');
    expect(loadAuditKeys({ ...settings('dev.key'), sharedDatabase: true }).source).toBe('file');
  });

  it('refuses a key file that holds too short a key', () => {
    fs.writeFileSync(path.join(dir, 'short.key'), 'abc\n');
    expect(() => loadAuditKeys(settings('short.key'))).toThrow(/fewer than 32 characters/);
  });
});
