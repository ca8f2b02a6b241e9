import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEvent, macEvent, verifyChain, type AuditEvent, type ExportedHead } from '../../src/domain/audit/chain.js';
import { AuditKeyring, type AuditKey } from '../../src/domain/audit/keys.js';
import type { Database } from '../../src/store/database.js';
import { mongoUri, openTestDatabase } from '../helpers/db.js';
import { runCli } from '../helpers/process.js';

const AUDIT_KEY = 'audit-tamper-test-key-0123456789abcdef';

/** A fresh database whose chain holds `length` events, appended by the repository as CareLoop does. */
async function chainOf(length: number) {
  const { db, config } = await openTestDatabase({ env: { AUDIT_KEY } });
  for (let n = 1; n <= length; n += 1) {
    await db.repositories.audit.append({
      at: new Date(Date.UTC(2026, 2, 1, 8, n)),
      actor: { kind: 'api_key', keyId: `key${n}`, role: 'clinician' },
      action: 'patient.read',
      outcome: n === 2 ? 'denied' : 'success',
      status: n === 2 ? 403 : 200,
      patientIds: [`patient${n}`],
    });
  }
  const cli = (...args: string[]) => runCli(['audit', ...args], { MONGODB_URI: mongoUri(), MONGODB_DB_NAME: config.MONGODB_DB_NAME, AUDIT_KEY, LOG_LEVEL: 'silent' });
  return { db, cli };
}

async function allEvents(db: Database): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of db.repositories.audit.events()) events.push(event);
  return events;
}

const rawEvents = (db: Database) => db.connection.collection<{ _id: number } & Record<string, unknown>>('auditevents');
const rawHead = (db: Database) => db.connection.collection<{ _id: string; seq: number; hash: string }>('auditheads');

/**
 * What someone with write access to the database (and our source code) does: change event `seq`, recompute
 * its hash and every later prevHash and hash, and move the head document to match. The MACs stay as they
 * were unless `key` is given (someone who also holds the audit key).
 */
async function rewriteInDatabase(db: Database, seq: number, changes: Partial<AuditEvent>, key?: AuditKey): Promise<void> {
  let prevHash = GENESIS_HASH;
  let last = 0;
  for (const original of await allEvents(db)) {
    const { hash: _hash, mac, ...content } = original.seq === seq ? { ...original, ...changes } : original;
    const relinked = { ...content, prevHash };
    const { seq: id, ...fields } = { ...relinked, hash: hashEvent(relinked), mac: key ? macEvent(key, relinked) : mac };
    await rawEvents(db).replaceOne({ _id: id }, fields);
    prevHash = fields.hash;
    last = id;
  }
  await rawHead(db).updateOne({ _id: 'audit' }, { $set: { seq: last, hash: prevHash } });
}

/** Cuts events from `fromSeq` on and lowers the head document to match: a truncation that hides itself. */
async function truncateInDatabase(db: Database, fromSeq: number): Promise<void> {
  const kept = (await allEvents(db)).filter((event) => event.seq < fromSeq);
  for (let seq = fromSeq; ; seq += 1) if ((await rawEvents(db).deleteOne({ _id: seq })).deletedCount === 0) break;
  await rawHead(db).updateOne({ _id: 'audit' }, { $set: { seq: kept.at(-1)!.seq, hash: kept.at(-1)!.hash } });
}

describe('an audit chain rewritten by someone with database access', () => {
  it('passes a plain hash check but fails verify with the audit key, naming the event; the CLI exits 1', async () => {
    const { db, cli } = await chainOf(5);
    expect(await db.repositories.audit.verify()).toMatchObject({ ok: true, checked: 5 });
    expect(await cli('verify')).toMatchObject({ code: 0, stdout: 'audit chain OK: 5 events verified (5 MACs checked)\n' });

    await rewriteInDatabase(db, 2, { outcome: 'success', status: 200 });
    const stored = (await allEvents(db))[1]!;
    expect(stored).toMatchObject({ seq: 2, outcome: 'success' });
    // Exactly what `audit verify` checked before audit keys: the attacker's chain is consistent again.
    expect(await verifyChain(db.repositories.audit.events(), await db.repositories.audit.head())).toMatchObject({ ok: true, checked: 5 });

    const result = await db.repositories.audit.verify();
    expect(result).toMatchObject({ ok: false, checked: 1, brokenAt: 2, reason: 'event 2 was altered (MAC mismatch: rewritten without the audit key)' });
    const viaCli = await cli('verify');
    expect(viaCli.code).toBe(1);
    expect(viaCli.stdout).toBe('audit chain BROKEN at event 2: event 2 was altered (MAC mismatch: rewritten without the audit key) (1 events verified before it)\n');
    // And it will not export the head of a broken chain.
    expect(await cli('head')).toMatchObject({ code: 1, stdout: expect.stringContaining('BROKEN at event 2') });
  });

  it('fails with a wrong key, and the CLI says which key signed the events', async () => {
    const { db } = await chainOf(3);
    const { db: sameWithOtherKey } = await openTestDatabase({ env: { AUDIT_KEY: 'x'.repeat(40), MONGODB_DB_NAME: db.connection.name } });
    const result = await sameWithOtherKey.repositories.audit.verify();
    expect(result).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });
    expect(result.reason).toContain(`signed with audit key ${new AuditKeyring(AUDIT_KEY).current.id}, which this CareLoop does not hold`);
    expect(await db.repositories.audit.verify()).toMatchObject({ ok: true, checked: 3 });

    const wrong = await runCli(['audit', 'verify'], { MONGODB_URI: mongoUri(), MONGODB_DB_NAME: db.connection.name, AUDIT_KEY: 'y'.repeat(40), LOG_LEVEL: 'silent' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^audit chain BROKEN at event 1: event 1 is signed with audit key [0-9a-f]{16}, which this CareLoop does not hold/);
  });
});

describe('a head exported outside the database', () => {
  it('is printed by `audit head` and still verifies as the chain grows', async () => {
    const { db, cli } = await chainOf(3);
    const printed = await cli('head');
    expect(printed.code).toBe(0);
    const head = JSON.parse(printed.stdout) as ExportedHead;
    const third = (await allEvents(db))[2]!;
    expect(head).toEqual({ seq: 3, hash: third.hash, mac: third.mac, at: third.at.toISOString() });

    await db.repositories.audit.append({ at: new Date(), actor: { kind: 'system' }, action: 'test.more', outcome: 'success', patientIds: [] });
    expect(await cli('verify', '--head', printed.stdout.trim())).toMatchObject({
      code: 0,
      stdout: 'audit chain OK: 4 events verified (4 MACs checked); event 3 is still the exported head\n',
    });
  });

  it('catches events cut from the end though the head document was lowered to match', async () => {
    const { db, cli } = await chainOf(5);
    const exported = (await db.repositories.audit.verify()).head!;
    await truncateInDatabase(db, 4);

    expect(await db.repositories.audit.verify()).toMatchObject({ ok: true, checked: 3 });
    expect(await db.repositories.audit.verify(exported)).toMatchObject({
      ok: false, checked: 3, brokenAt: 4, reason: 'the chain ends at event 3 but the exported head is event 5 (events cut from the end)',
    });
    const viaCli = await cli('verify', '--head', JSON.stringify(exported));
    expect(viaCli.code).toBe(1);
    expect(viaCli.stdout).toContain('BROKEN at event 4: the chain ends at event 3 but the exported head is event 5');
  });

  it('catches a rewrite by someone who holds the audit key too', async () => {
    const { db, cli } = await chainOf(5);
    const exported = (await db.repositories.audit.verify()).head!;
    await rewriteInDatabase(db, 2, { outcome: 'success', status: 200 }, new AuditKeyring(AUDIT_KEY).current);

    expect(await db.repositories.audit.verify()).toMatchObject({ ok: true, checked: 5 });
    expect(await db.repositories.audit.verify(exported)).toMatchObject({
      ok: false, checked: 4, brokenAt: 5, reason: 'event 5 is not the event of the exported head (rewritten)',
    });
    expect(await cli('verify', '--head', JSON.stringify(exported))).toMatchObject({ code: 1, stdout: expect.stringContaining('BROKEN at event 5') });
  });

  it('refuses a --head that is not an exported head, before touching the database', async () => {
    const cli = (...args: string[]) => runCli(['audit', ...args], { MONGODB_URI: 'mongodb://127.0.0.1:9/unreachable', AUDIT_KEY, LOG_LEVEL: 'silent' });
    expect(await cli('verify', '--head', '{"seq":0,"hash":"abc","at":"x"}')).toMatchObject({
      code: 2, stderr: expect.stringMatching(/seq: .*hash: expected 64 hex characters/),
    });
  });
});
