import { describe, expect, it } from 'vitest';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { freePort } from '../helpers/port.js';
import { startCareLoop, tempDir, type CareLoopProcess } from '../helpers/process.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, newMessageSid, OUR_NUMBER } from '../helpers/sms.js';

/**
 * Replies survive a crash (issue 12): `npm start` with its embedded database answers signed inbound SMS, is killed
 * with SIGKILL (process group: CareLoop and FerretDB) halfway through, and starts again on the same data. Every
 * inbound message that got its 200 must be answered exactly once, counted at the local Twilio-compatible server
 * by our message id in each reply's StatusCallback. Then, with that server down for 30 s, replies still go out once.
 *
 * One message per number, so the count per message is exact (two identical texts to one number cannot be told
 * apart in Twilio's list; test/integration/durable-replies.test.ts covers that case by delivery count).
 */
const INBOUND = 200;
const CONCURRENCY = 10;
/** Long enough for every crash leftover to be settled: turn leases (30 s), unsettled sends (60 s), a sweep (10 s). */
const SETTLE_MS = 80_000;

interface Inbound {
  from: string;
  sid: string;
  status?: number;
}

describe('SIGKILL while answering inbound SMS', () => {
  it('answers every inbound message that got a 200 exactly once after a restart, also through a 30 s Twilio outage', { timeout: 600_000 }, async () => {
    const fake = await fakeTwilio();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: tempDir('careloop-sms-crash-'), PORT: String(port), PUBLIC_BASE_URL: publicUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url,
      SMS_REPLIES_PER_MINUTE: '1000', QUIET_HOURS: '00:00-00:00',
    };
    const first = await startCareLoop(env);
    const inbound: Inbound[] = Array.from({ length: INBOUND }, (_, index) => ({ from: `+1555${String(2_000_000 + index).padStart(7, '0')}`, sid: newMessageSid() }));

    // Concurrency 10; SIGKILL once half of them have their answer.
    let answered = 0;
    let killed = false;
    const crashedAt = { time: 0 };
    await sendAll(fake, `${publicUrl}/sms/inbound`, inbound, () => {
      if (++answered === INBOUND / 2 && first.child.pid) {
        killed = true;
        crashedAt.time = Date.now();
        process.kill(-first.child.pid, 'SIGKILL');
      }
    });
    expect(killed).toBe(true);
    await first.exited;
    const accepted = inbound.filter((message) => message.status === 200);
    const unansweredAtCrash = accepted.filter((message) => repliesTo(fake, message.sid).length === 0).length;
    expect(accepted.length).toBeGreaterThanOrEqual(INBOUND / 2);

    const second = await startCareLoop(env);
    const restartedAt = Date.now();
    await expect.poll(() => accepted.filter((message) => repliesTo(fake, message.sid).length === 0).length, { timeout: 180_000, interval: 1_000 }).toBe(0);
    const allAnsweredAfterMs = Date.now() - restartedAt;
    // Duplicates could only appear once the crash's leftovers are due: wait past that, then count.
    await sleep(Math.max(0, crashedAt.time + SETTLE_MS - Date.now()));
    for (const message of accepted) expectOnce(fake, message.sid);
    console.log(`sms-crash: ${accepted.length} of ${INBOUND} got 200 before the SIGKILL, ${unansweredAtCrash} of them unanswered at the crash; all answered ${(allAnsweredAfterMs / 1000).toFixed(1)} s after the restart`);

    // The provider is down for 30 s while new messages arrive: each reply goes out once it is back.
    fake.outage({ forMs: 30_000, httpStatus: 503 });
    const during: Inbound[] = Array.from({ length: 20 }, (_, index) => ({ from: `+1555${String(3_000_000 + index).padStart(7, '0')}`, sid: newMessageSid() }));
    const outageStart = Date.now();
    await sendAll(fake, `${publicUrl}/sms/inbound`, during, () => undefined);
    expect(during.map((message) => message.status)).toEqual(during.map(() => 200));
    await expect.poll(() => during.filter((message) => repliesTo(fake, message.sid).length === 0).length, { timeout: 240_000, interval: 1_000 }).toBe(0);
    const outageAnsweredAfterMs = Date.now() - outageStart;
    await sleep(15_000); // two more sweeps: nothing may go out twice
    for (const message of during) expectOnce(fake, message.sid);
    console.log(`sms-crash: with Twilio down for 30 s, all ${during.length} replies went out once, the last ${(outageAnsweredAfterMs / 1000).toFixed(1)} s after the outage began`);

    const logs = first.output() + second.output();
    for (const message of [...inbound, ...during]) expect(logs).not.toContain(message.from);
    await stop(second);
  });
});

/** Posts signed inbound webhooks, `CONCURRENCY` at a time; a request cut off by the crash keeps no status. */
async function sendAll(fake: FakeTwilio, url: string, messages: Inbound[], onAnswer: () => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const message = messages[next++]!;
      try {
        const params = fake.inboundParams({ from: message.from, to: OUR_NUMBER, body: 'hello, is this the clinic?', messageSid: message.sid });
        message.status = (await fake.postInbound(url, params)).status;
        onAnswer();
      } catch {
        // The process is gone: no answer, so Twilio would not count this one as delivered.
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Reply keys (`reply:sms:<MessageSid>:<n>`) the fake received for one inbound message, one entry per message. */
function repliesTo(fake: FakeTwilio, messageSid: string): string[] {
  return fake.messages
    .map((message) => new URL(message.statusCallback ?? 'http://x/').searchParams.get('m') ?? '')
    .filter((key) => key.startsWith(`reply:sms:${messageSid}:`));
}

function expectOnce(fake: FakeTwilio, messageSid: string): void {
  const keys = repliesTo(fake, messageSid);
  expect(keys.length, `replies to ${messageSid}`).toBeGreaterThan(0);
  expect(keys, `replies to ${messageSid}`).toEqual([...new Set(keys)]);
}

async function stop(app: CareLoopProcess): Promise<void> {
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
