import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFerretDb, type FerretDbHandle } from '../../src/store/ferretdb.js';
import { DEFAULT_TEST_POSTGRESQL_URL } from '../helpers/prerequisites.js';
import { tempDir } from '../helpers/process.js';

const POSTGRESQL_URL = process.env.CARELOOP_TEST_POSTGRESQL_URL ?? DEFAULT_TEST_POSTGRESQL_URL;
const psql = (sql: string): string => execFileSync('psql', ['-At', '-v', 'ON_ERROR_STOP=1', POSTGRESQL_URL, '-c', sql], { encoding: 'utf8' }).trim();

// Our FerretDB wrapper makes lookups by _id on the PostgreSQL backend index lookups (tools/ferretdb/pgidindex.go):
// FerretDB asks `_jsonb->$1 @> $2`, which its own index cannot serve.
describe('FerretDB on PostgreSQL: the _id lookup index', () => {
  let ferretdb: FerretDbHandle;
  let connection: mongoose.Connection;
  const dbName = `careloop_idx_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    ferretdb = await startFerretDb({ backend: 'postgresql', dataDir: tempDir('careloop-pgidx-'), postgresqlUrl: POSTGRESQL_URL });
    connection = await mongoose.createConnection(ferretdb.uri, { dbName }).asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
    await ferretdb.stop();
  });

  it('is added to every new collection table, and PostgreSQL uses it for FerretDB’s query by _id', async () => {
    const things = connection.collection<{ _id: string; n: number }>('things');
    await things.insertMany(Array.from({ length: 200 }, (_, n) => ({ _id: `thing-${n}`, n })));
    const table = psql(`SELECT _jsonb->>'table' FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'things'`);
    expect(table).toMatch(/^things_[0-9a-f]+$/);

    await vi.waitFor(() => expect(psql(`SELECT indexname FROM pg_indexes WHERE schemaname = '${dbName}' AND tablename = '${table}' AND indexname LIKE 'clid_%'`)).toBe(`clid_${table}`), { timeout: 15_000, interval: 200 });

    // FerretDB's statement as it sends it (key and value as parameters), planned as its connections plan it; with
    // sequential scans priced out, so a table this small shows whether the index can serve the query at all.
    const plan = psql(
      `SET plan_cache_mode = force_custom_plan; SET enable_seqscan = off; ` +
        `PREPARE q(text, jsonb) AS SELECT _jsonb FROM "${dbName}"."${table}" WHERE _jsonb->$1 @> $2; ` +
        `EXPLAIN EXECUTE q('_id', '"thing-7"')`,
    );
    expect(plan).toContain(`Index Scan on clid_${table}`);
    expect(plan).not.toContain('Seq Scan');
    expect(await things.findOne({ _id: 'thing-7' })).toEqual({ _id: 'thing-7', n: 7 });

    // A collection dropped and made again gets a new table, which gets the index too.
    await things.drop();
    await connection.collection('things').insertOne({ _id: 'again' } as never);
    const again = psql(`SELECT _jsonb->>'table' FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'things'`);
    await vi.waitFor(() => expect(psql(`SELECT count(*) FROM pg_indexes WHERE schemaname = '${dbName}' AND indexname = 'clid_${again}'`)).toBe('1'), { timeout: 15_000, interval: 200 });
  });
});
