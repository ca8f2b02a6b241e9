import { describe, expect, it } from 'vitest';
import type { FakeMessage, FakeTwilio } from '../fakes/twilio-server.js';
import { freePort } from '../helpers/port.js';
import { api, runCli, startCareLoop, tempDir, type CareLoopProcess } from '../helpers/process.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, newMessageSid, OUR_NUMBER } from '../helpers/sms.js';

/**
 * Escalation survives crashes (issue 13): `npm start` with its embedded database pages a two-level policy (staff A,
 * then staff B, one minute each) for a patient's emergency words, and is killed with SIGKILL (process group:
 * CareLoop and FerretDB) twice mid-escalation, restarting on the same data each time:
 *   1. the instant the local Twilio-compatible server accepts staff A's page, before CareLoop hears the answer: the
 *      page is out, but neither the message's provider id nor the alert's step is recorded;
 *   2. once the alert shows level 1 recorded: level 2 is a pending escalation_step job.
 * Counted at the server per phone and per alert short number: A is paged once, B once (after the restarts), the
 * timeline shows each page once; "ACK <n>" from B's phone stops the paging, and the next level's time passes with
 * no further page.
 */
const STAFF_A = '+15550004001';
const STAFF_B = '+15550004002';
const PATIENT = '+15550004100';
const ACK_TIMEOUT_MINUTES = 1;
/** The shortest lease the config allows (the default is 60 s), so the first crash's claim on level 1 ends sooner. */
const LEASE_SECONDS = 10;

describe('SIGKILL mid-escalation', () => {
  it('pages each level once across two crashes and restarts, and stops at "ACK <n>"', { timeout: 600_000 }, async () => {
    const fake = await fakeTwilio();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: tempDir('careloop-escalation-crash-'), PORT: String(port), PUBLIC_BASE_URL: publicUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url,
      QUIET_HOURS: '00:00-00:00', SCHEDULER_LEASE_SECONDS: String(LEASE_SECONDS),
      // The same key across restarts, so the links in pages sent before a crash still work after it.
      ACK_LINK_KEY: 'escalation-crash-test-ack-link-key-0123456789',
      // Idle scheduler runs are logged at debug: the last check waits for a run past the next level's time.
      LOG_LEVEL: 'debug',
    };
    const runs: CareLoopProcess[] = [await startCareLoop(env)];
    const created = await runCli(['keys', 'create', '--role', 'admin', '--name', 'escalation crash'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await api(`${publicUrl}${path}`, key, method, body);
      const json = await res.json();
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    // Through the API, as an integrator would: a team, two nurses with phones, a rule for emergency words whose
    // policy pages A, then B, then (a second round) A again, and a patient.
    const team = await call('POST', '/api/v1/care-teams', { name: 'Cardiology', timeZone: 'America/New_York' });
    const staffA = await call('POST', '/api/v1/staff', { name: 'Ann Nurse', phone: STAFF_A, role: 'nurse', careTeamId: team.id });
    const staffB = await call('POST', '/api/v1/staff', { name: 'Bob Nurse', phone: STAFF_B, role: 'nurse', careTeamId: team.id });
    await call('POST', '/api/v1/escalation-rules', {
      name: 'Emergency words: day nurse, then charge nurse',
      condition: { event: 'emergency' },
      severity: 'critical',
      policy: {
        levels: [
          { targets: [{ type: 'staff', staffId: staffA.id }], ackTimeoutMinutes: ACK_TIMEOUT_MINUTES },
          { targets: [{ type: 'staff', staffId: staffB.id }], ackTimeoutMinutes: ACK_TIMEOUT_MINUTES },
        ],
        // A second round: without the acknowledgement, A would be paged again one level time after B.
        repeat: 1,
      },
    });
    const patient = await call('POST', '/api/v1/patients', {
      name: 'Ida Berg', phone: PATIENT, timeZone: 'America/New_York', dateOfBirth: '1951-06-02', careTeamId: team.id, consent: { sms: true },
    });

    // Crash 1: the server takes A's page and CareLoop is killed before the answer leaves (the listener runs
    // before the fake writes its response).
    const first = runs[0]!;
    let killedAtPage = false;
    const unsubscribe = fake.onMessage((message) => {
      if (!killedAtPage && isPage(message) && message.to === STAFF_A) {
        killedAtPage = true;
        process.kill(-first.child.pid!, 'SIGKILL');
      }
    });
    const inbound = await fake.postInbound(`${publicUrl}/sms/inbound`, fake.inboundParams({ from: PATIENT, to: OUR_NUMBER, body: 'I have crushing chest pain', messageSid: newMessageSid() }));
    expect(inbound.status).toBe(200);
    await first.exited;
    unsubscribe();
    expect(killedAtPage).toBe(true);
    expect(pagesTo(fake, STAFF_A)).toHaveLength(1);
    const shortNumber = shortNumberOf(pagesTo(fake, STAFF_A)[0]!);

    // Restart: level 1 is taken over once its claim's lease ends, and recorded without a second page.
    runs.push(await startCareLoop(env));
    const alertOfPatient = async () => {
      const { items } = await call('GET', `/api/v1/alerts?patientId=${patient.id}`);
      return items[0] as ApiAlert | undefined;
    };
    await expect.poll(async () => (await alertOfPatient())?.escalation.step, { timeout: 180_000, interval: 500 }).toBe(1);
    const alert = (await alertOfPatient())!;
    expect(alert).toMatchObject({ kind: 'emergency', severity: 'critical', status: 'notified', shortNumber });
    // The taken-over level 1 found its page recorded under the same key: no second text to A.
    expect(pagesTo(fake, STAFF_A)).toHaveLength(1);

    // Crash 2: level 1 recorded, level 2 a pending escalation_step job.
    const second = runs[1]!;
    process.kill(-second.child.pid!, 'SIGKILL');
    await second.exited;
    expect(pagesTo(fake, STAFF_B)).toEqual([]);
    runs.push(await startCareLoop(env));
    const third = runs[2]!;

    await expect.poll(() => pagesTo(fake, STAFF_B).length, { timeout: 240_000, interval: 500 }).toBe(1);
    expect(shortNumberOf(pagesTo(fake, STAFF_B)[0]!)).toBe(shortNumber);
    await expect.poll(async () => pageEvents(await call('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`)), { timeout: 30_000, interval: 500 }).toEqual([
      [0, staffA.id, 'sms', 'sent'],
      [1, staffB.id, 'sms', 'sent'],
    ]);
    const paged = (await call('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`)) as ApiAlert;
    expect(paged.escalation.step).toBe(2);
    // Level 1 of the second round (A again) is due at this time unless someone acknowledges first.
    const nextLevelAt = new Date(paged.escalation.nextCheckAt!);

    // B acknowledges by SMS from their phone, as a nurse would.
    const ack = await fake.postInbound(`${publicUrl}/sms/inbound`, fake.inboundParams({ from: STAFF_B, to: OUR_NUMBER, body: `ACK ${shortNumber}`, messageSid: newMessageSid() }));
    expect(ack.status).toBe(200);
    await expect.poll(() => fake.messages.filter((message) => message.to === STAFF_B && !isPage(message)).map((message) => message.body), { timeout: 30_000, interval: 200 })
      .toEqual([`CareLoop: alert ${shortNumber} acknowledged by you. Paging has stopped.`]);
    const acknowledged = (await call('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`)) as ApiAlert;
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedBy: { kind: 'staff', staffId: staffB.id, via: 'sms' } });

    // No further page: wait until a scheduler run for a slot past the next level's time has finished.
    await expect.poll(() => lastDispatchSlot(third.output()) >= nextLevelAt.getTime(), { timeout: 180_000, interval: 1_000 }).toBe(true);
    const final = (await call('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}`)) as ApiAlert;
    expect(final.status).toBe('acknowledged');
    expect(final.timeline.map((event) => event.type)).toEqual(['raised', 'page', 'page', 'acknowledged']);

    // The count at the server, per phone and per alert short number: each level's nurse once, nobody else.
    const pages = fake.messages.filter(isPage);
    expect(pages.map((message) => [message.to, shortNumberOf(message)]).sort()).toEqual([[STAFF_A, shortNumber], [STAFF_B, shortNumber]]);
    console.log(
      `escalation-crash: A paged at ${pagesTo(fake, STAFF_A)[0]!.dateCreated}, B at ${pagesTo(fake, STAFF_B)[0]!.dateCreated} after two SIGKILLs; `
      + `${pages.length} pages in all, ${fake.messages.length} messages`,
    );

    const logs = runs.map((run) => run.output()).join('');
    for (const phone of [STAFF_A, STAFF_B, PATIENT]) expect(logs).not.toContain(phone);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });
});

/** The alert as GET /api/v1/alerts/:id shows it (the fields this test reads). */
interface ApiAlert {
  id: string;
  kind: string;
  severity: string;
  status: string;
  shortNumber?: number;
  escalation: { epoch: number; step: number; nextCheckAt?: string; pagedStaffIds: string[] };
  timeline: { type: string; level?: number; staffId?: string; channel?: string; outcome?: string }[];
}

const isPage = (message: FakeMessage) => message.body.startsWith('CareLoop alert ');
const pagesTo = (fake: FakeTwilio, phone: string) => fake.messages.filter((message) => isPage(message) && message.to === phone);
const shortNumberOf = (message: FakeMessage) => Number(/^CareLoop alert (\d+),/.exec(message.body)?.[1]);
const pageEvents = (alert: ApiAlert) => alert.timeline.filter((event) => event.type === 'page').map((event) => [event.level, event.staffId, event.channel, event.outcome]);

/** The latest slot of a finished `outreach-dispatch` run in a process's JSON log lines, in ms (0 when none). */
function lastDispatchSlot(output: string): number {
  let latest = 0;
  // The last piece has no newline yet when the process is still writing it: only whole lines are read.
  for (const line of output.split('\n').slice(0, -1)) {
    if (!line.includes('"outreach-dispatch"') || !line.includes('"msg":"job run"')) continue;
    const slot = Date.parse((JSON.parse(line) as { slot: string }).slot);
    if (slot > latest) latest = slot;
  }
  return latest;
}
