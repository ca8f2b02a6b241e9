/**
 * `npm run bench:console`: what the care-team console costs the server, over real HTTP on the embedded database.
 * An open console asks for the queue's rows and the session state every 3 seconds; this measures both (and the
 * queue page, a patient page and the metrics page) at 1 and 10 requests in flight, with 50 and 200 open alerts of
 * the team, and says how many open consoles that rate would carry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../src/app/start.js';
import { parseConfig } from '../../src/config/index.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { form, totpCode } from '../helpers/console.js';
import { fmt, measure } from './stats.js';

const POLL_SECONDS = 3;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-bench-console-'));
const config = parseConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', SCHEDULER: 'off' });
const app = await startApp(config, createLogger('silent'));
try {
  const { key } = await new ApiKeyService(app.db.repositories.apiKeys, systemClock).create({ name: 'bench', role: 'admin' }, 'bench');
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = (url: string, body: unknown) => fetch(`${app.url}${url}`, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string; url: string }>);
  const team = await post('/api/v1/care-teams', { name: 'Bench', timeZone: 'UTC' });
  const nurse = await post('/api/v1/staff', { name: 'Bench Nurse', role: 'nurse', careTeamId: team.id });
  const patients = await Promise.all(Array.from({ length: 200 }, (_, i) => post('/api/v1/patients', {
    name: `Bench Patient ${i}`, phone: `+1555${String(i).padStart(7, '0')}`, timeZone: 'UTC', dateOfBirth: '1970-01-01', careTeamId: team.id, consent: { sms: true },
  })));

  // The nurse's account, as the invitation page and the sign-in form make it.
  const invite = new URL((await post(`/api/v1/staff/${nurse.id}/invite`, {})).url);
  const invitePage = await (await fetch(`${app.url}/console/invite${invite.search}`)).text();
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(invitePage)![1]!;
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const password = 'a long and quiet passphrase';
  const accepted = await fetch(`${app.url}/console/invite`, { method: 'POST', headers: FORM, redirect: 'manual', body: form({ t: invite.searchParams.get('t')!, username: 'bench', password, confirm: password, code: totpCode(secret, new Date()) }) });
  if (accepted.status !== 303) throw new Error(`invitation: ${accepted.status}`);
  await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 50)); // a code works once: wait for the next one
  const signIn = await fetch(`${app.url}/console/sign-in`, { method: 'POST', headers: FORM, redirect: 'manual', body: form({ username: 'bench', password, code: totpCode(secret, new Date()) }) });
  if (signIn.status !== 303) throw new Error(`sign-in: ${signIn.status}`);
  const cookie = String(signIn.headers.get('set-cookie')).split(';')[0]!;
  const live = { cookie, 'x-console-live': '1' };
  const get = (url: string, extra: Record<string, string> = {}) => fetch(`${app.url}${url}`, { headers: { cookie, ...extra } }).then(async (r) => {
    if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    return r.arrayBuffer();
  });

  console.log('CareLoop care-team console, embedded FerretDB (SQLite); every page read audited');
  let raised = 0;
  for (const openAlerts of [50, 200]) {
    for (; raised < openAlerts; raised++) {
      await app.container.alerts.raise({ kind: 'triage', severity: raised % 3 === 0 ? 'critical' : 'high', idempotencyKey: `bench-${raised}`, patientId: patients[raised % patients.length]!.id, careTeamId: team.id, reason: 'bench alert' });
    }
    console.log(`  ${openAlerts} open alerts in the team`);
    for (const concurrency of [1, 10]) {
      const rows = await measure(100, concurrency, () => get('/console/alerts/rows?scope=teams&state=open', live));
      const session = await measure(200, concurrency, () => get('/console/session', live));
      // Per console and poll: one rows request and one session check.
      const consoles = POLL_SECONDS / (1 / rows.opsPerSec + 1 / session.opsPerSec);
      console.log(`    ${String(concurrency).padStart(2)} in flight: queue rows ${fmt(rows.opsPerSec)}/s (p50 ${fmt(rows.p50)} ms, p99 ${fmt(rows.p99)} ms); session check ${fmt(session.opsPerSec, 0)}/s (p50 ${fmt(session.p50)} ms); open consoles one instance carries at a ${POLL_SECONDS} s poll: ${fmt(consoles, 0)}`);
    }
    const pages = await measure(20, 1, () => get('/console'));
    const patient = await measure(20, 1, (i) => get(`/console/patients/${patients[i % patients.length]!.id}`));
    const metrics = await measure(5, 1, () => get('/console/metrics'));
    console.log(`    pages, one at a time: queue p50 ${fmt(pages.p50)} ms, patient p50 ${fmt(patient.p50)} ms, metrics p50 ${fmt(metrics.p50)} ms`);
  }
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`  memory after the run: rss ${fmt(rss, 0)} MiB`);
} finally {
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
