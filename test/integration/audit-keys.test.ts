import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app/start.js';
import { GENESIS_HASH, hashEvent, type AuditEntry, type AuditEvent } from '../../src/domain/audit/chain.js';
import { auditKeyId } from '../../src/domain/audit/keys.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { openTestDatabase, testConfig } from '../helpers/db.js';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-audit-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const entry = (n: number): AuditEntry => ({ at: new Date(Date.UTC(2025, 11, 1, 8, n)), actor: { kind: 'system' }, action: `test.${n}`, outcome: 'success', patientIds: [] });

async function allEvents(db: Database): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of db.repositories.audit.events()) events.push(event);
  return events;
}

describe('the audit key without AUDIT_KEY', () => {
  it('is created once in DATA_DIR (owner-only), signs events, and verifies them on the next open', async () => {
    const dataDir = tempDir();
    const { db, config } = await openTestDatabase({ env: { DATA_DIR: dataDir, AUDIT_KEY: '' } });
    const file = path.join(dataDir, 'audit.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const id = auditKeyId(fs.readFileSync(file, 'utf8').trim());
    expect(db.auditKey).toEqual({ id, source: 'file', file });

    const appended = await db.repositories.audit.append(entry(1));
    expect(appended.macKeyId).toBe(id);
    expect(JSON.stringify(await db.models.AuditEvent.find({}).lean())).not.toContain(fs.readFileSync(file, 'utf8').trim());

    const reopened = await openDatabase(config, { clock: systemClock });
    try {
      expect(reopened.auditKey.id).toBe(id);
      expect(await reopened.repositories.audit.verify()).toMatchObject({ ok: true, checked: 1 });
    } finally {
      await reopened.close();
    }
    // Another machine's data directory has another key: it cannot vouch for these events.
    const elsewhere = await openDatabase({ ...config, DATA_DIR: tempDir() }, { clock: systemClock });
    try {
      expect(await elsewhere.repositories.audit.verify()).toMatchObject({ ok: false, brokenAt: 1, reason: expect.stringContaining(`signed with audit key ${id}`) });
    } finally {
      await elsewhere.close();
    }
  });

  it('is refused in production with a shared database, before connecting, and with AUDIT_KEY nothing is written to DATA_DIR', async () => {
    const dataDir = tempDir();
    const production = { ...testConfig({ DATA_DIR: dataDir, WEBCHAT_SECRET: 'w'.repeat(32), AUDIT_KEY: '' }), NODE_ENV: 'production' as const };
    await expect(openDatabase({ ...production, MONGODB_URI: 'mongodb://127.0.0.1:9/unreachable' }, { clock: systemClock })).rejects.toThrow(
      'AUDIT_KEY is required in production with a shared database',
    );
    expect(fs.readdirSync(dataDir)).toEqual([]);

    const keyed = await openDatabase({ ...production, AUDIT_KEY: 'p'.repeat(40) }, { clock: systemClock });
    try {
      expect(keyed.auditKey).toEqual({ id: auditKeyId('p'.repeat(40)), source: 'AUDIT_KEY' });
    } finally {
      await keyed.connection.dropDatabase();
      await keyed.close();
    }
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('makes CareLoop warn at start that production should set AUDIT_KEY, naming the file and no secret', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const logs = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const config = testConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', AUDIT_KEY: '' });
    const app = await startApp(config, createLogger('warn', logs));
    await app.db.connection.dropDatabase();
    await app.stop();
    const warning = lines.map((line) => JSON.parse(line) as { level: number; msg: string; auditKeyFile?: string }).find((log) => log.msg.startsWith('AUDIT_KEY is not set'));
    expect(warning).toMatchObject({ level: 40, auditKeyFile: path.join(dataDir, 'audit.key') });
    expect(lines.join('')).not.toContain(fs.readFileSync(path.join(dataDir, 'audit.key'), 'utf8').trim());

    lines.length = 0;
    const keyed = await startApp({ ...config, AUDIT_KEY: 'q'.repeat(40) }, createLogger('warn', logs));
    await keyed.db.connection.dropDatabase();
    await keyed.stop();
    expect(lines.join('')).not.toContain('AUDIT_KEY is not set');
  });
});

describe('events written before audit keys', () => {
  /** A chain as the previous version wrote it: hashes only, and the head document. */
  async function legacyChain(length: number) {
    const { db } = await openTestDatabase({ env: { AUDIT_KEY: 'l'.repeat(40) } });
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= length; seq += 1) {
      const content = { ...entry(seq), seq, prevHash };
      const { seq: _id, ...fields } = { ...content, hash: hashEvent(content) };
      await db.connection.collection('auditevents').insertOne({ _id, ...fields } as never);
      prevHash = fields.hash;
    }
    await db.connection.collection('auditheads').insertOne({ _id: 'audit', seq: length, hash: prevHash } as never);
    return db;
  }

  it('are reported as not keyed until the next append seals them, then verify, counted apart', async () => {
    const db = await legacyChain(3);
    expect(await db.repositories.audit.verify()).toMatchObject({
      ok: false, checked: 3, notKeyed: 3, reason: expect.stringContaining('events 1-3 are not keyed'),
    });
    const sealing = await db.repositories.audit.append(entry(4));
    expect(sealing).toMatchObject({ seq: 4, prevHash: (await allEvents(db))[2]!.hash, macKeyId: db.auditKey.id });
    expect(await db.repositories.audit.verify()).toMatchObject({ ok: true, checked: 4, notKeyed: 3 });
  });

  it('cannot be rewritten, hashes recomputed, without breaking the keyed event that seals them', async () => {
    const db = await legacyChain(3);
    await db.repositories.audit.append(entry(4));
    // Rewrite event 2 and recompute every later hash, as someone with database access would.
    let prevHash = GENESIS_HASH;
    for (const original of await allEvents(db)) {
      const { hash: _hash, mac, ...content } = original.seq === 2 ? { ...original, action: 'test.rewritten' } : original;
      const relinked = { ...content, prevHash };
      prevHash = hashEvent(relinked);
      await db.connection.collection('auditevents').updateOne({ _id: original.seq } as never, { $set: { action: relinked.action, prevHash: relinked.prevHash, hash: prevHash, ...(mac ? { mac } : {}) } });
    }
    await db.connection.collection('auditheads').updateOne({ _id: 'audit' } as never, { $set: { hash: prevHash } });
    expect(await db.repositories.audit.verify()).toMatchObject({ ok: false, brokenAt: 4, reason: 'event 4 was altered (MAC mismatch: rewritten without the audit key)' });
  });
});
