import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TwilioSms } from '../../src/integrations/twilio/client.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, OUR_NUMBER } from '../helpers/sms.js';

const fake = await fakeTwilio();
const OTHER_NUMBER = '+15550008888';
const PATIENT = '+15551230001';

/** A sender at `rate` messages per second, sending through the real twilio library to the fake Twilio. */
const sender = (from: string, rate: number) => new TwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from, apiBaseUrl: fake.url, sendRatePerSecond: rate });
const bodiesFrom = (from: string) => fake.messages.filter((message) => message.from === from).map((message) => message.body);

/**
 * Bottleneck reads Date.now() and waits with setTimeout: with both faked, the test moves time by hand and counts
 * the sends still waiting for their turn. The HTTP calls themselves run on real I/O (awaited, not timed).
 */
const fakeTime = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
/**
 * Moves the fake time on by `ms`. The limiter yields with setTimeout(0), which fake timers (like Node) run after
 * 1 ms, so a send starts a few fake milliseconds after its turn: the checks look 10 ms either side of each turn.
 */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Waits for the sends' HTTP calls (real I/O), letting fake time run on meanwhile for any timer they set. */
async function finished<T>(sends: Promise<T>[]): Promise<T[]> {
  let done = false;
  const all = Promise.all(sends).finally(() => (done = true));
  while (!done) {
    await vi.advanceTimersByTimeAsync(1);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return all;
}

// The library's first request loads and sets up its modules on real timers; the tests then time only the limiter.
beforeAll(async () => {
  await new TwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: OUR_NUMBER, apiBaseUrl: fake.url }).send({ to: PATIENT, body: 'warm-up' });
  fake.reset();
});

afterEach(() => {
  vi.useRealTimers();
  fake.reset();
});

describe('SMS send rate per sender (SMS_SEND_RATE_PER_SECOND)', () => {
  it('starts one sender’s sends 1/rate apart', async () => {
    fakeTime();
    const twilio = sender(OUR_NUMBER, 1);
    const sends = [1, 2, 3].map((n) => twilio.send({ to: PATIENT, body: `reminder ${n}` }));
    expect(twilio.waitingSends()).toBe(3);

    await advance(10);
    expect(twilio.waitingSends()).toBe(2);

    await advance(980); // 990 ms
    expect(twilio.waitingSends()).toBe(2);
    await advance(20); // 1010 ms
    expect(twilio.waitingSends()).toBe(1);

    await advance(980); // 1990 ms
    expect(twilio.waitingSends()).toBe(1);
    await advance(20); // 2010 ms
    expect(twilio.waitingSends()).toBe(0);
    const sent = await finished(sends);
    expect(bodiesFrom(OUR_NUMBER).sort()).toEqual(['reminder 1', 'reminder 2', 'reminder 3']);
    expect(new Set(sent.map((message) => message.providerId)).size).toBe(3);
  });

  it('spaces at the configured rate: 4 per second is 250 ms apart', async () => {
    fakeTime();
    const twilio = sender(OUR_NUMBER, 4);
    const sends = Array.from({ length: 5 }, (_, n) => twilio.send({ to: PATIENT, body: `tip ${n}` }));
    await advance(10);
    expect(twilio.waitingSends()).toBe(4);
    await advance(230); // 240 ms
    expect(twilio.waitingSends()).toBe(4);
    await advance(20); // 260 ms
    expect(twilio.waitingSends()).toBe(3);
    await advance(750); // 1010 ms
    expect(twilio.waitingSends()).toBe(0);
    await finished(sends);
    expect(bodiesFrom(OUR_NUMBER)).toHaveLength(5);
  });

  it('gives two senders a limit each: neither waits for the other', async () => {
    fakeTime();
    const first = sender(OUR_NUMBER, 1);
    const second = sender(OTHER_NUMBER, 1);
    const sends = [first, second, first, second].map((twilio, n) => twilio.send({ to: PATIENT, body: `message ${n}` }));

    await advance(10);
    expect([first.waitingSends(), second.waitingSends()]).toEqual([1, 1]);

    await advance(980);
    expect([first.waitingSends(), second.waitingSends()]).toEqual([1, 1]);
    await advance(20);
    expect([first.waitingSends(), second.waitingSends()]).toEqual([0, 0]);
    await finished(sends);
    expect(bodiesFrom(OUR_NUMBER).sort()).toEqual(['message 0', 'message 2']);
    expect(bodiesFrom(OTHER_NUMBER).sort()).toEqual(['message 1', 'message 3']);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => sender(OUR_NUMBER, 0)).toThrow(/sendRatePerSecond must be a positive number/);
  });
});
