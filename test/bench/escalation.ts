/**
 * `npm run bench:escalation`:
 *  1. events evaluated per second against 1,000 escalation rules (compiled once, as the rule book holds them),
 *     on post-op check-in events with random answers;
 *  2. the delay from a red-flag SMS (a signed Twilio webhook: emergency words, which raise a critical alert) to the
 *     first page reaching the local Twilio-compatible server, end to end through a running CareLoop with its
 *     schedules on the embedded database (p50/p99 over BENCH_PAGES messages, one at a time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../src/app/start.js';
import { parseConfig } from '../../src/config/index.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import type { EscalationEvent } from '../../src/domain/escalation/events.js';
import { compileRules, evaluate, decide, type EscalationRule } from '../../src/domain/escalation/rules.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { startFakeTwilio, type FakeMessage } from '../fakes/twilio-server.js';
import { freePort } from '../helpers/port.js';
import { fmt, percentile } from './stats.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const OUR_NUMBER = '+15550009999';
const RULES = 1_000;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const PAGES = Number(process.env.BENCH_PAGES ?? 50);
const NURSE = '+15557001000';

/** 1,000 rules over the post-op facts: thresholds, choices, and nested all/any/not, with several severities. */
function makeRules(): (EscalationRule & { id: string; version: number })[] {
  const severities = ['normal', 'high', 'critical'] as const;
  return Array.from({ length: RULES }, (_, i) => ({
    id: `bench.${i}`, version: 1, name: `bench rule ${i}`, enabled: true, severity: severities[i % 3]!,
    condition: {
      all: [
        { event: 'postop_checkin' },
        i % 4 === 0 ? { fact: 'temperature_c', op: '>=', value: 37 + (i % 30) / 10 }
          : i % 4 === 1 ? { fact: 'drainage', op: 'in', value: ['thick', 'foul'] }
            : i % 4 === 2 ? { any: [{ fact: 'pain', op: '>=', value: i % 11 }, { not: { fact: 'pain_controlled', op: '==', value: true } }] }
              : { fact: 'redness', op: '==', value: 'spreading' },
        { fact: 'day', op: '<=', value: 1 + (i % 30) },
      ],
    },
  })) as never;
}

function randomEvent(seed: number): EscalationEvent {
  const pick = <T>(items: readonly T[]) => items[(seed = (seed * 1103515245 + 12345) % 2147483648) % items.length]!;
  return {
    type: 'postop_checkin',
    facts: {
      day: pick([1, 2, 3, 5, 7, 10, 14, 21, 30]), temperature_c: pick([36.5, 37.2, 37.9, 38.4, 39.1]), pain: pick([0, 2, 4, 6, 8, 10]),
      pain_controlled: pick([true, false]), drainage: pick(['none', 'clear', 'bloody', 'thick', 'foul']), redness: pick(['none', 'present', 'spreading']),
    },
  };
}

function rulesPerSecond(): { perSecond: number; matchedShare: number } {
  const rules = compileRules(makeRules());
  const events = Array.from({ length: EVENTS }, (_, i) => randomEvent(i + 1));
  let matched = 0;
  for (const event of events.slice(0, 500)) decide(evaluate(rules, event)); // warm up
  const started = performance.now();
  for (const event of events) if (decide(evaluate(rules, event))) matched += 1;
  return { perSecond: EVENTS / ((performance.now() - started) / 1000), matchedShare: matched / EVENTS };
}

async function pageDelays(): Promise<number[]> {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const port = await freePort();
  const config = parseConfig({
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-bench-escalation-')), PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', SMS_SEND_RATE_PER_SECOND: '1000', STAFF_PAGES_PER_MINUTE: '1000', SMS_REPLIES_PER_MINUTE: '1000',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '00:00-00:00',
  });
  const app = await startApp(config, createLogger('silent'), systemClock);
  try {
    const { key } = await new ApiKeyService(app.db.repositories.apiKeys, systemClock).create({ name: 'bench', role: 'admin' }, 'bench');
    const post = async (url: string, body: unknown) =>
      (await fetch(`${app.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ id: string }>;
    const team = await post('/api/v1/care-teams', { name: 'Surgery', timeZone: 'UTC' });
    await post('/api/v1/staff', { name: 'Nora Nurse', phone: NURSE, role: 'nurse', careTeamId: team.id });
    const delays: number[] = [];
    for (let i = 0; i < PAGES; i++) {
      const phone = `+1555600${String(i).padStart(4, '0')}`;
      await post('/api/v1/patients', { name: 'Bench Patient', phone, timeZone: 'UTC', dateOfBirth: '1970-01-01', careTeamId: team.id, consent: { sms: true } });
      const paged = new Promise<number>((resolve) => {
        const off = fake.onMessage((message: FakeMessage) => {
          if (message.to !== NURSE) return;
          off();
          resolve(performance.now());
        });
      });
      const sentAt = performance.now();
      const res = await fake.postInbound(`${app.url}/sms/inbound`, fake.inboundParams({ from: phone, to: OUR_NUMBER, body: 'the wound burst open and I can see my bowel' }));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      delays.push((await paged) - sentAt);
    }
    return delays.sort((a, b) => a - b);
  } finally {
    await app.stop();
    await fake.close();
  }
}

console.log(`bench:escalation on Node ${process.version}, ${os.cpus().length} CPUs`);
const rules = rulesPerSecond();
console.log(`rules: ${RULES} compiled rules, ${EVENTS} post-op events: ${fmt(rules.perSecond, 0)} events evaluated per second (${fmt(100 * rules.matchedShare, 0)}% matched a rule)`);
const delays = await pageDelays();
console.log(`first page: ${PAGES} red-flag SMS (emergency words) to the first page at the Twilio-compatible server, embedded database: p50 ${fmt(percentile(delays, 50), 0)} ms, p99 ${fmt(percentile(delays, 99), 0)} ms, max ${fmt(delays.at(-1)!, 0)} ms`);
process.exit(0);
