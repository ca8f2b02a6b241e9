import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.js';
import { ETagConflictError } from '../../src/lib/errors.js';
import { MongoStorage } from '../../src/store/bot-state.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { openTestDatabase } from '../helpers/db.js';

let db: Database;
let other: Database;
let storage: MongoStorage;
let otherStorage: MongoStorage;

beforeAll(async () => {
  const opened = await openTestDatabase();
  db = opened.db;
  // A second connection on the same database, as a second CareLoop instance would have.
  other = await openDatabase(opened.config, { clock: systemClock });
  storage = new MongoStorage(db.models);
  otherStorage = new MongoStorage(other.models);
  return () => other.close();
});

describe('MongoStorage (botbuilder Storage with eTags)', () => {
  it('reads back what it wrote, with an eTag that changes on every write', async () => {
    await storage.write({ 'sms/conversations/a': { dialogState: { step: 1, 'odd.$key': true } } });
    const first = (await storage.read(['sms/conversations/a', 'missing']))['sms/conversations/a'];
    expect(first).toMatchObject({ dialogState: { step: 1, 'odd.$key': true }, eTag: expect.any(String) });
    await storage.write({ 'sms/conversations/a': { ...first, dialogState: { step: 2 } } });
    const second = (await storage.read(['sms/conversations/a']))['sms/conversations/a'];
    expect(second.dialogState).toEqual({ step: 2 });
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('rejects a write holding a stale eTag, and lets "*" overwrite', async () => {
    await storage.write({ b: { n: 1 } });
    const read = (await storage.read(['b'])).b;
    await storage.write({ b: { ...read, n: 2 } });
    await expect(storage.write({ b: { ...read, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    await storage.write({ b: { n: 4, eTag: '*' } });
    expect((await storage.read(['b'])).b.n).toBe(4);
  });

  it('detects concurrent writes to one conversation from two instances: exactly one wins', async () => {
    await storage.write({ c: { turn: 0 } });
    const read = (await storage.read(['c'])).c;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? otherStorage : storage).write({ c: { ...read, turn: i + 1 } })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const conflicts = results.filter((r) => r.status === 'rejected' && r.reason instanceof ETagConflictError);
    expect(won).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const final = (await otherStorage.read(['c'])).c;
    expect(final.turn).toBe(results.findIndex((r) => r.status === 'fulfilled') + 1);
  });

  it('applies every unconditional write, last one winning, round after round of races', async () => {
    // Each write must land as its own version: a lost one would show as a final eTag below 10.
    for (let round = 0; round < 15; round++) {
      const key = `d${round}`;
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? otherStorage : storage).write({ [key]: { i } })));
      expect((await storage.read([key]))[key].eTag, `round ${round}`).toBe('10');
    }
  });

  it('deletes: nothing is read afterwards, and an older eTag still conflicts', async () => {
    await storage.write({ e: { x: 1 } });
    const read = (await storage.read(['e'])).e;
    await storage.delete(['e']);
    expect(await storage.read(['e'])).toEqual({});
    await expect(storage.write({ e: { ...read, x: 2 } })).rejects.toBeInstanceOf(ETagConflictError);
    await storage.write({ e: { x: 3 } });
    expect((await storage.read(['e'])).e.x).toBe(3);
  });

  it('keeps state only in the last versions of a key, and the ids of older ones so they cannot be written again', async () => {
    for (let i = 0; i < 6; i++) await storage.write({ f: { i } });
    const versions = (await db.models.BotStateVersion.find({}).lean()).filter((v) => v._id.startsWith('f#'));
    expect(versions.filter((v) => v.data !== null).map((v) => v._id).sort()).toEqual(['f#5', 'f#6']);
    expect(versions).toHaveLength(6);
    await expect(storage.write({ f: { i: 'stale', eTag: '2' } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['f'])).f.i).toBe(5);
  });
});
