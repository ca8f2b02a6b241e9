/**
 * `npm run bench:api`: the admin API over real HTTP on the embedded database: patient reads and creates
 * per second with p50/p99, each one authenticated and audited, at 1 and 10 concurrent clients.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../src/app/start.js';
import { parseConfig } from '../../src/config/index.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { fmt, measure } from './stats.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-bench-api-'));
const config = parseConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000' });
const app = await startApp(config, createLogger('silent'));
try {
  const { key } = await new ApiKeyService(app.db.repositories.apiKeys, systemClock).create({ name: 'bench', role: 'admin' }, 'bench');
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = (url: string, body: unknown) => fetch(`${app.url}${url}`, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string }>);
  const team = await post('/api/v1/care-teams', { name: 'Bench', timeZone: 'UTC' });

  let phone = 0;
  const create = () => post('/api/v1/patients', { name: 'Bench Patient', phone: `+1555${String(phone++).padStart(7, '0')}`, timeZone: 'UTC', dateOfBirth: '1970-01-01', careTeamId: team.id, consent: { sms: true } });
  const ids = (await Promise.all(Array.from({ length: 200 }, create))).map((p) => p.id);

  console.log('CareLoop admin API, embedded FerretDB (SQLite), every request authenticated and audited');
  for (const concurrency of [1, 10]) {
    const reads = await measure(500, concurrency, (i) => fetch(`${app.url}/api/v1/patients/${ids[i % ids.length]}`, { headers }).then((r) => r.arrayBuffer()));
    const creates = await measure(200, concurrency, create);
    console.log(`  concurrency ${String(concurrency).padStart(2)}: GET patient ${fmt(reads.opsPerSec, 0)}/s (p50 ${fmt(reads.p50)} ms, p99 ${fmt(reads.p99)} ms); POST patient ${fmt(creates.opsPerSec, 0)}/s (p50 ${fmt(creates.p50)} ms, p99 ${fmt(creates.p99)} ms)`);
  }
  const audited = await app.db.repositories.audit.head();
  console.log(`  audit chain length after the run: ${audited?.seq}`);
} finally {
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
