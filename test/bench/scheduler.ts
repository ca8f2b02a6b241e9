/**
 * `npm run bench:scheduler`: how fast due medication reminders reach the local Twilio-compatible server, end to end
 * (claim, the batch reminder handler with its dose, plan, patient and busy lookups, the outbound gateway's
 * sendMany with its consent and opt-out checks and durable message records, the real twilio library, the doses
 * reminded and the follow-up jobs, the outcomes recorded).
 *
 * For each database (embedded FerretDB over SQLite; FerretDB over PostgreSQL on 127.0.0.1:5432) and each size
 * (10,000 and 100,000 jobs due in the same minute): throughput (jobs per second, from the due minute to the last
 * message accepted by the server) and the delay from `dueAt` to each message's acceptance (p50/p99), with the send
 * rate set high enough not to bind. Then the 10,000 again with 1,000,000 finished jobs in the history collection.
 * Baselines in the same run: Agenda 6 (`agenda` + `@agendajs/mongo-backend`) working through the same 10,000 due
 * reminders (same handler, same gateway) at concurrency 10 for at most 60 s, on the same kind of database; and
 * the raw send ceiling (the twilio library to the local server, no database, concurrency 10).
 *
 * The dispatcher's ticks run back to back, as one cron slot's run does with a backlog; a fresh database per case.
 * Choose with BENCH_SIZES=10000,100000 BENCH_BACKENDS=sqlite,postgresql BENCH_HISTORY=1000000 BENCH_AGENDA=1
 * BENCH_OPERATIONS=1 BENCH_MAX_MINUTES=60.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { execFileSync } from 'node:child_process';
import { buildContainer, type Container } from '../../src/app/container.js';
import { parseConfig } from '../../src/config/index.js';
import type { OutreachJob } from '../../src/domain/outreach/types.js';
import { TwilioSms } from '../../src/integrations/twilio/client.js';
import type { Clock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server.js';
import { seedDueReminders } from '../helpers/bulk-reminders.js';
import { fmt, percentile } from './stats.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const FROM = '+15550009999';
const TIME_ZONE = 'America/New_York';
const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').filter(Boolean);
const SIZES = list('BENCH_SIZES', '10000,100000').map(Number);
const BACKENDS = list('BENCH_BACKENDS', 'sqlite,postgresql') as Backend[];
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1_000_000);
const AGENDA = process.env.BENCH_AGENDA !== '0';
const AGENDA_JOBS = Number(process.env.BENCH_AGENDA_JOBS ?? 10_000);
const AGENDA_SECONDS = 60;
const RAW_MESSAGES = 5_000;
const CONCURRENCY = 10;
/**
 * BENCH_MAX_MINUTES: a case stops handing over after this long and reports what it handed over (the 100,000 case
 * takes hours on a small machine); unset, every case runs to the end.
 */
const MAX_MS = process.env.BENCH_MAX_MINUTES ? Number(process.env.BENCH_MAX_MINUTES) * 60_000 : Infinity;
/** BENCH_OPERATIONS=1: also print the database operations per reminder, by collection and method (mongoose's debug hook). */
const OPERATIONS = process.env.BENCH_OPERATIONS === '1';

type Backend = 'sqlite' | 'postgresql';
interface Row { label: string; jobs: number; seconds: number; perSecond: number; p50?: number; p99?: number; note?: string }
const rows: Row[] = [];

/** A clock that runs at real speed from wherever it is set: seeding happens before the due minute, dispatch at it. */
function settableClock(): Clock & { set(at: Date): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), set: (at) => void (offset = at.getTime() - Date.now()) };
}

let pgDatabases = 0;
async function openCase(backend: Backend, fake: FakeTwilio, clock: Clock): Promise<{ db: Database; container: Container }> {
  const env: Record<string, string> = {
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-bench-scheduler-')), PUBLIC_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: FROM, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '00:00-00:00',
    SMS_SEND_RATE_PER_SECOND: '1000', SCHEDULER_BATCH_SIZE: process.env.BENCH_BATCH ?? '500', AUDIT_KEY: 'b'.repeat(64),
  };
  if (backend === 'postgresql') {
    const name = `careloop_bench_${process.pid}_${pgDatabases++}`;
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-q', '-c', `CREATE DATABASE ${name}`]);
    Object.assign(env, { FERRETDB_BACKEND: 'postgresql', FERRETDB_POSTGRESQL_URL: `postgres://postgres@127.0.0.1:5432/${name}` });
  }
  const config = parseConfig(env);
  const db = await openDatabase(config, { clock });
  return { db, container: buildContainer({ config, logger: createLogger('silent'), db, clock }) };
}

/** The due minute: the next whole minute after seeding would finish (seeding runs with the clock set before it). */
function dueMinute(): Date {
  return new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60 * 60_000);
}

/** Seeds `jobs` reminders due at one minute, optionally `history` finished jobs, then dispatches them all. */
async function dispatchCase(backend: Backend, jobs: number, history: number, fake: FakeTwilio): Promise<void> {
  const clock = settableClock();
  const dueAt = dueMinute();
  clock.set(new Date(dueAt.getTime() - 30 * 60_000));
  const { db, container } = await openCase(backend, fake, clock);
  try {
    const seedStart = performance.now();
    const { messageKeys } = await seedDueReminders(container, { count: jobs, timeZone: TIME_ZONE, dueAt, phonePrefix: '+1555700' });
    if (history > 0) await seedHistory(db, history, clock.now());
    const seedSeconds = (performance.now() - seedStart) / 1000;

    fake.reset();
    const delays: number[] = [];
    const off = fake.onMessage(() => delays.push(clock.now().getTime() - dueAt.getTime()));
    const operations = new Map<string, number>();
    if (OPERATIONS) db.connection.set('debug', (collection: string, method: string) => void operations.set(`${collection}.${method}`, (operations.get(`${collection}.${method}`) ?? 0) + 1));
    clock.set(dueAt);
    const started = performance.now();
    let stopped = false;
    for (;;) {
      const counts = await container.scheduler.dispatcher.tick(clock.now());
      if (counts.due === 0) break;
      if (performance.now() - started > MAX_MS) {
        stopped = true;
        break;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    off();
    db.connection.set('debug', false);
    const received = new Set(fake.messages.map((message) => message.to)).size;
    if (OPERATIONS) printOperations(operations, received);
    if (fake.messages.length !== received || (!stopped && received !== messageKeys.length)) throw new Error(`${backend} ${jobs}: ${fake.messages.length} messages to ${received} patients for ${messageKeys.length} reminders`);
    delays.sort((a, b) => a - b);
    const label = `CareLoop, ${backend === 'sqlite' ? 'embedded (SQLite)' : 'FerretDB on PostgreSQL'}${history > 0 ? `, ${(history / 1e6).toFixed(0)}M finished in history` : ''}`;
    const note = `seeded in ${fmt(seedSeconds)} s${stopped ? `; stopped after BENCH_MAX_MINUTES with ${received} of ${jobs} handed over (delays of those only)` : ''}`;
    rows.push({ label, jobs: received, seconds, perSecond: received / seconds, p50: delays.length ? percentile(delays, 50) / 1000 : undefined, p99: percentile(delays, 99) / 1000, note });
    printRow(rows.at(-1)!);
  } finally {
    await container.stop();
    await db.close();
  }
}

/** Finished jobs as the dispatcher leaves them: `history` documents in outreachhistory, 5,000 per insert. */
async function seedHistory(db: Database, count: number, now: Date): Promise<void> {
  const history = db.connection.db!.collection('outreachhistory');
  for (let start = 0; start < count; start += 5_000) {
    await history.insertMany(
      Array.from({ length: Math.min(5_000, count - start) }, (_, offset) => ({
        _id: `med:old${start + offset}:2025-01-01T08:00#0` as never, key: `med:old${start + offset}:2025-01-01T08:00`, kind: 'medication_reminder', patientId: 'old',
        dueAt: new Date(now.getTime() - 86_400_000), status: 'sent', attempts: 1, failures: 0, createdAt: now, finishedAt: now,
      })),
    );
  }
}

/**
 * Agenda 6 working through the same kind of 10,000 due reminders through the same handler: one Agenda job per
 * reminder, concurrency 10, for at most 60 s; its rate is what it handed over in that time.
 */
async function agendaCase(backend: Backend, fake: FakeTwilio): Promise<void> {
  const clock = settableClock();
  const dueAt = dueMinute();
  clock.set(new Date(dueAt.getTime() - 30 * 60_000));
  const { db, container } = await openCase(backend, fake, clock);
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db.connection.db as never, collection: 'agendaJobs' }), processEvery: 100, maxConcurrency: CONCURRENCY, defaultConcurrency: CONCURRENCY, lockLimit: CONCURRENCY });
  try {
    await seedDueReminders(container, { count: AGENDA_JOBS, timeZone: TIME_ZONE, dueAt, phonePrefix: '+1555800' });
    // The same jobs, handed to Agenda instead of our dispatcher (which never runs here).
    const jobs = await db.connection.db!.collection('outreachjobs').find({ kind: 'medication_reminder' }).toArray();
    const handler = container.scheduler.dispatcher.handlers.medication_reminder!;
    const handedOver = () => new Set(fake.messages.map((message) => message.to)).size;
    const failures = new Map<string, number>();
    const count = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
    agenda.on('fail', (err: Error) => count(`fail:${err.message}`));
    agenda.define('medication_reminder', async (job) => {
      const data = job.attrs.data as { key: string; patientId: string; planId: string };
      const outreach: OutreachJob = { key: data.key, kind: 'medication_reminder', patientId: data.patientId, dueAt, payload: { planId: data.planId }, status: 'scheduled', attempts: 0, failures: 0, createdAt: dueAt, updatedAt: dueAt };
      const outcome = await handler(outreach, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 60_000) });
      if (outcome.status !== 'sent') count(`${outcome.status}:${outcome.reason ?? ''}`);
    }, { concurrency: CONCURRENCY, lockLimit: CONCURRENCY });
    await agenda.ready;
    const due = jobs.filter((job) => new Date(job.dueAt as Date).getTime() === dueAt.getTime());
    // Agenda reads the real time: its jobs are due a moment ago (our clock, for the handler, stands at the due minute).
    for (const job of due) await agenda.schedule(new Date(Date.now() - 1_000), 'medication_reminder', { key: String(job._id), patientId: String(job.patientId), planId: String((job.payload as { planId: string }).planId) });
    fake.reset();
    clock.set(dueAt);
    const started = performance.now();
    await agenda.start();
    while (handedOver() < due.length && performance.now() - started < AGENDA_SECONDS * 1000) await new Promise((resolve) => setTimeout(resolve, 250));
    const seconds = (performance.now() - started) / 1000;
    const done = handedOver();
    const runs = fake.messages.length;
    await agenda.drain(30_000);
    // Agenda keeps polling until stopped: stop it before the database closes under it.
    await agenda.stop();
    if (failures.size > 0) console.log('Agenda jobs not handed over:', Object.fromEntries(failures));
    rows.push({ label: `Agenda 6, ${backend === 'sqlite' ? 'embedded (SQLite)' : 'FerretDB on PostgreSQL'}`, jobs: done, seconds, perSecond: done / seconds, note: `${done} of ${due.length} reminders handed over (${runs} messages) in ${fmt(seconds)} s` });
    printRow(rows.at(-1)!);
  } finally {
    // Agenda may still be unlocking the jobs it held when the database closes (its writes outlive stop() on a slow
    // database): those late writes fail harmlessly once its case is over, and are counted rather than crash the run.
    agendaClosed = true;
    await container.stop();
    await db.close();
  }
}

let agendaClosed = false;
let agendaLateWrites = 0;
process.on('unhandledRejection', (reason) => {
  if (agendaClosed && (reason as Error)?.name === 'MongoExpiredSessionError') agendaLateWrites += 1;
  else throw reason;
});

/** The twilio library straight to the local server at the same concurrency: no database, no checks. */
async function rawCeiling(fake: FakeTwilio): Promise<void> {
  const sms = new TwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiBaseUrl: fake.url });
  fake.reset();
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < RAW_MESSAGES) {
      const index = next++;
      await sms.send({ to: `+1555900${String(index).padStart(6, '0')}`, body: 'Time for your morning pill (1 tablet). Reply 1 taken, 2 skip, 3 snooze.', statusCallback: `http://127.0.0.1:9/sms/status?m=raw${index}` });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  rows.push({ label: 'Raw send ceiling (twilio library, no database)', jobs: RAW_MESSAGES, seconds, perSecond: RAW_MESSAGES / seconds });
  printRow(rows.at(-1)!);
}

function printOperations(operations: Map<string, number>, jobs: number): void {
  const total = [...operations.values()].reduce((sum, count) => sum + count, 0);
  const parts = [...operations].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${fmt(count / jobs)}`);
  console.log(`database operations per reminder: ${fmt(total / jobs)} (${parts.join(', ')})`);
}

function printRow(row: Row): void {
  const delay = row.p50 === undefined ? '' : ` | dueAt→send p50 ${fmt(row.p50)} s, p99 ${fmt(row.p99 ?? NaN)} s`;
  console.log(`${row.label} | ${row.jobs} jobs | ${fmt(row.seconds)} s | ${fmt(row.perSecond, 0)} jobs/s${delay}${row.note ? ` | ${row.note}` : ''}`);
}

const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
console.log(`bench:scheduler on Node ${process.version}, ${os.cpus().length} CPUs; sizes ${SIZES.join(', ')}; ${BACKENDS.join(', ')}; history ${HISTORY}`);
await rawCeiling(fake);
for (const backend of BACKENDS) {
  for (const size of SIZES) await dispatchCase(backend, size, 0, fake);
  if (HISTORY > 0) await dispatchCase(backend, Math.min(...SIZES), HISTORY, fake);
  if (AGENDA) await agendaCase(backend, fake);
}
console.log('\n| case | jobs | seconds | jobs/s | dueAt→send p50 | p99 |\n|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.label} | ${row.jobs} | ${fmt(row.seconds)} | ${fmt(row.perSecond, 0)} | ${row.p50 === undefined ? '' : `${fmt(row.p50)} s`} | ${row.p99 === undefined ? '' : `${fmt(row.p99)} s`} |`);
if (agendaLateWrites > 0) console.log(`(Agenda wrote ${agendaLateWrites} times after its case ended: unlocking jobs it held; they failed on the closed database)`);
const raw = rows.find((row) => row.label.startsWith('Raw'))!;
for (const row of rows.filter((candidate) => candidate.label.startsWith('CareLoop'))) console.log(`${row.label}, ${row.jobs}: ${fmt((100 * row.perSecond) / raw.perSecond, 0)}% of the raw send ceiling`);
for (const backend of BACKENDS) {
  const ours = rows.find((row) => row.label.startsWith('CareLoop') && row.jobs === Math.min(...SIZES) && !row.label.includes('history') && row.label.includes(backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'));
  const withHistory = rows.find((row) => row.label.startsWith('CareLoop') && row.label.includes('history') && row.label.includes(backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'));
  const agenda = rows.find((row) => row.label.startsWith('Agenda') && row.label.includes(backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'));
  if (ours && agenda) console.log(`${backend}: ${fmt(ours.perSecond / agenda.perSecond, 1)}x Agenda's rate`);
  if (ours && withHistory) console.log(`${backend}: with ${HISTORY} finished jobs in history, ${fmt((100 * withHistory.perSecond) / ours.perSecond, 0)}% of the empty case's throughput`);
}
await fake.close();
process.exit(0);
