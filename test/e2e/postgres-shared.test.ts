import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { api, runCli, startCareLoop, tempDir } from '../helpers/process.js';

// PostgreSQL runs on these machines (trust auth); FerretDB keeps each MongoDB database in a schema of it.
const POSTGRESQL_URL = process.env.CARELOOP_TEST_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('two CareLoop processes on FerretDB over PostgreSQL', () => {
  it('share one database: what one writes, the other reads, and the audit chain stays whole', async () => {
    const shared = { FERRETDB_BACKEND: 'postgresql', FERRETDB_POSTGRESQL_URL: POSTGRESQL_URL, MONGODB_DB_NAME: `careloop_pg_${randomBytes(4).toString('hex')}`, AUDIT_KEY: randomBytes(32).toString('hex') };
    const envA = { ...shared, DATA_DIR: tempDir('careloop-pg-a-') };
    const envB = { ...shared, DATA_DIR: tempDir('careloop-pg-b-') };
    // One after the other: a FerretDB instance caches PostgreSQL's catalogue, so two that create the same
    // collections at the same moment collide ("relation already exists"); the loser exits 1 and a restart fixes it.
    const a = await startCareLoop(envA);
    const b = await startCareLoop(envB);

    const created = await runCli(['keys', 'create', '--role', 'admin', '--name', 'pg admin'], envA);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();

    // A key made through A's data directory works on B: the keys live in the shared database.
    const team = await (await api(`${b.url}/api/v1/care-teams`, key, 'POST', { name: 'Shared Team', timeZone: 'America/Denver' })).json();
    const viaA = await api(`${a.url}/api/v1/patients`, key, 'POST', {
      name: 'Rosa Lind', phone: '+15550002222', timeZone: 'America/Denver', dateOfBirth: '1971-06-01', careTeamId: team.id,
    });
    expect(viaA.status).toBe(201);
    const patient = await viaA.json();
    const readByB = await api(`${b.url}/api/v1/patients/${patient.id}`, key);
    expect(readByB.status).toBe(200);
    expect(await readByB.json()).toEqual(patient);

    // Both write at once; a phone number taken through one is taken for the other.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api(`${(i % 2 ? a : b).url}/api/v1/care-teams/${team.id}`, key)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const { id: _id, active: _active, createdAt: _c, updatedAt: _u, ...input } = patient;
    expect((await api(`${b.url}/api/v1/patients`, key, 'POST', { ...input, name: 'Copy' })).status).toBe(409);

    const verified = await (await api(`${a.url}/api/v1/audit-events/verify`, key)).json();
    expect(verified.ok).toBe(true);
    expect(verified.checked).toBeGreaterThanOrEqual(15);

    await dropDatabase(envA.DATA_DIR, shared.MONGODB_DB_NAME);
    for (const app of [a, b]) app.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
  });
});

/** Drops the test's database through the FerretDB a running CareLoop started (found via its data directory). */
async function dropDatabase(dataDir: string, dbName: string): Promise<void> {
  const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'db', 'ferretdb.json'), 'utf8')) as { uri: string };
  const connection = await mongoose.createConnection(state.uri, { dbName }).asPromise();
  await connection.dropDatabase();
  await connection.close();
}
