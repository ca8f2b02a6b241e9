/**
 * `npm run bench:sms`: inbound SMS turns per second and latency, end to end: a signed Twilio webhook in, the
 * bot turn (safety interrupts, dialog, state), the reply out through the gateway and the real twilio library
 * to a local Twilio-compatible server. Latency runs from posting the webhook to the reply reaching "Twilio".
 * At 1, 10 and 50 concurrent conversations, with conversation state in MongoDB (embedded FerretDB) and with
 * botbuilder's MemoryStorage as the baseline. Everything else (message log, contacts) is in the database in
 * both runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { startApp } from '../../src/app/start.js';
import { parseConfig } from '../../src/config/index.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { startFakeTwilio, type FakeMessage } from '../fakes/twilio-server.js';
import { freePort } from '../helpers/port.js';
import { fmt, percentile } from './stats.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const TURNS_PER_CONVERSATION = Number(process.env.BENCH_TURNS ?? 20);
const LEVELS = [1, 10, 50];

interface Result { turnsPerSec: number; p50: number; p95: number; p99: number }

async function run(label: string, stateStorage: Storage | undefined): Promise<Map<number, Result>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-bench-sms-'));
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const port = await freePort();
  const config = parseConfig({
    DATA_DIR: dataDir, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15550009999', TWILIO_API_BASE_URL: fake.url,
  });
  const app = await startApp(config, createLogger('silent'), systemClock, { stateStorage });
  const results = new Map<number, Result>();
  try {
    const { key } = await new ApiKeyService(app.db.repositories.apiKeys, systemClock).create({ name: 'bench', role: 'admin' }, 'bench');
    const post = async (url: string, body: unknown) =>
      (await fetch(`${app.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ id: string }>;
    const team = await post('/api/v1/care-teams', { name: 'Bench', timeZone: 'UTC' });
    const phones = Array.from({ length: Math.max(...LEVELS) }, (_, i) => `+1555888${String(i).padStart(4, '0')}`);
    for (const phone of phones) await post('/api/v1/patients', { name: 'Bench Patient', phone, timeZone: 'UTC', dateOfBirth: '1970-01-01', careTeamId: team.id, consent: { sms: true } });

    // Replies are matched to the waiting conversation by phone number.
    const waiting = new Map<string, () => void>();
    fake.onMessage((message: FakeMessage) => waiting.get(message.to)?.());
    const turn = (phone: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        waiting.set(phone, () => {
          waiting.delete(phone);
          resolve(performance.now() - started);
        });
        fake.postInbound(`${app.url}/sms/inbound`, fake.inboundParams({ from: phone, to: '+15550009999', body })).then((res) => {
          if (res.status !== 200) reject(new Error(`webhook answered ${res.status}`));
        }, reject);
      });

    // A realistic exchange that moves through the dialog: menu, check-in score, note, and again.
    const script = ['hi', '1', '7', 'feeling fine today'];
    for (const concurrency of LEVELS) {
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        phones.slice(0, concurrency).map(async (phone) => {
          for (let i = 0; i < TURNS_PER_CONVERSATION; i++) latencies.push(await turn(phone, script[i % script.length]!));
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const result = { turnsPerSec: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
      results.set(concurrency, result);
      console.log(`  ${label.padEnd(13)} ${String(concurrency).padStart(2)} conversations: ${fmt(result.turnsPerSec).padStart(6)} turns/s  p50 ${fmt(result.p50)} ms  p95 ${fmt(result.p95)} ms  p99 ${fmt(result.p99)} ms`);
    }
  } finally {
    await app.stop();
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

console.log(`Inbound SMS turns, ${TURNS_PER_CONVERSATION} turns per conversation, embedded FerretDB (SQLite), ${os.cpus().length} cores`);
const mongo = await run('MongoStorage', undefined);
const memory = await run('MemoryStorage', new MemoryStorage());
console.log('\nMongoStorage relative to the MemoryStorage baseline (throughput ratio; latency ratio at p50 / p99):');
for (const level of LEVELS) {
  const m = mongo.get(level)!;
  const b = memory.get(level)!;
  console.log(`  ${String(level).padStart(2)} conversations: ${fmt(m.turnsPerSec / b.turnsPerSec, 2)}x throughput, ${fmt(m.p50 / b.p50, 2)}x p50, ${fmt(m.p99 / b.p99, 2)}x p99`);
}
