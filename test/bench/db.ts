/**
 * `npm run bench:db`: what the embedded database costs, and what our _id index in tools/ferretdb buys.
 * Seeds N patient-like documents into FerretDB (SQLite) twice, with and without the index, and prints
 * lookups and updates by _id, a lookup by another field, and audit appends.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { systemClock } from '../../src/lib/clock.js';
import { defineModels } from '../../src/store/models.js';
import { AuditKeyring } from '../../src/domain/audit/keys.js';
import { MongoAuditLog } from '../../src/store/repositories/audit.js';
import { startFerretDb } from '../../src/store/ferretdb.js';
import { fmt, measure } from './stats.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 20_000);

async function run(idIndex: boolean): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-bench-db-'));
  const ferret = await startFerretDb({ backend: 'sqlite', dataDir, extraArgs: [`--id-index=${idIndex}`] });
  const connection = await mongoose.createConnection(ferret.uri, { dbName: 'bench', maxPoolSize: 10 }).asPromise();
  try {
    const models = defineModels(connection, systemClock);
    await Promise.all(Object.values(models).map((model) => model.createIndexes()));
    const t0 = performance.now();
    const ids: string[] = [];
    for (let batch = 0; batch < DOCS / 1000; batch++) {
      const docs = Array.from({ length: 1000 }, (_, i) => {
        const n = batch * 1000 + i;
        const phone = `+1555${String(n).padStart(7, '0')}`;
        return { name: `Patient ${n}`, phone, phoneKey: phone, timeZone: 'America/New_York', language: 'en', dateOfBirth: '1960-01-01', careTeamId: 'team', active: true };
      });
      const inserted = await models.Patient.insertMany(docs, { lean: true });
      ids.push(...inserted.map((doc) => String(doc._id)));
    }
    const insertRate = DOCS / ((performance.now() - t0) / 1000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the wrapper indexes new tables within a second

    const byId = await measure(200, 1, (i) => models.Patient.findById(ids[(i * 97) % ids.length]).lean());
    const updates = await measure(200, 1, (i) => models.Patient.updateOne({ _id: ids[(i * 89) % ids.length] }, { $set: { language: 'es' } }));
    const byPhone = await measure(10, 1, (i) => models.Patient.findOne({ phone: `+1555${String(DOCS - 1 - i * 7).padStart(7, '0')}` }).lean()); // near the end: a real scan
    const audit = new MongoAuditLog(models, new AuditKeyring(randomBytes(32).toString('hex')));
    const appends = await measure(300, 4, (i) => audit.append({ at: new Date(), actor: { kind: 'system' }, action: `bench.${i}`, outcome: 'success', patientIds: [] }));

    console.log(`\n_id index ${idIndex ? 'ON (our wrapper default)' : 'OFF (FerretDB as shipped)'}, ${DOCS} patients`);
    console.log(`  insertMany                      ${fmt(insertRate, 0)} docs/s`);
    console.log(`  findById           p50 ${fmt(byId.p50)} ms  p99 ${fmt(byId.p99)} ms  (${fmt(byId.opsPerSec, 0)}/s)`);
    console.log(`  updateOne by _id   p50 ${fmt(updates.p50)} ms  p99 ${fmt(updates.p99)} ms  (${fmt(updates.opsPerSec, 0)}/s)`);
    console.log(`  findOne by phone   p50 ${fmt(byPhone.p50)} ms  (full scan, matched in Go)`);
    console.log(`  audit append (4 concurrent)    ${fmt(appends.opsPerSec, 0)}/s  p99 ${fmt(appends.p99)} ms`);
  } finally {
    await connection.close();
    await ferret.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await run(true);
await run(false);
