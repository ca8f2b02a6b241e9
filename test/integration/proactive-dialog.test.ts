import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptibleDialog } from '../../dialogs/interruptible-dialog.js';
import { buildContainer, type Container } from '../../src/app/container.js';
import type { SafetyService } from '../../src/domain/safety/service.js';
import { buildServer } from '../../src/http/server.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { openTestDatabase } from '../helpers/db.js';
import { freePort } from '../helpers/port.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, newMessageSid, OUR_NUMBER } from '../helpers/sms.js';

/**
 * A tiny dialog a proactive message begins, standing in for the dose question: it asks what it is given, and
 * records the patient's next message as the answer. Safety interrupts come first (InterruptibleDialog).
 */
class QuestionDialog extends InterruptibleDialog {
  static readonly id = 'test.question';

  constructor(safety: SafetyService, private readonly answers: string[]) {
    super(QuestionDialog.id, safety);
    this.addDialog(new TextPrompt('test.question.answer'));
    this.addDialog(new WaterfallDialog('test.question.waterfall', [this.ask.bind(this), this.record.bind(this)]));
    this.initialDialogId = 'test.question.waterfall';
  }

  private async ask(step: WaterfallStepContext) {
    return step.prompt('test.question.answer', { prompt: (step.options as { question: string }).question });
  }

  private async record(step: WaterfallStepContext) {
    this.answers.push(String(step.result));
    await step.context.sendActivity(`Noted: ${String(step.result)}`);
    return step.endDialog();
  }
}

const QUESTION = 'Did you take your morning pill? Reply with your answer.';
const MENU = /Reply 1 to tell your care team how you are feeling/;
const EMERGENCY = [/Call 911 now/, /alerted your care team/];
// 15:00 UTC: daytime in New York, midnight in Tokyo (inside QUIET_HOURS there).
const clock = fixedClock(new Date('2026-03-10T15:00:00Z'));
const answers: string[] = [];
let fake: FakeTwilio;
let container: Container;
let inboundUrl: string;
let careTeamId: string;
let patients = 0;

beforeAll(async () => {
  fake = await fakeTwilio();
  const port = await freePort();
  const { db, config } = await openTestDatabase({
    clock,
    env: {
      PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '21:00-08:00',
    },
  });
  container = buildContainer({ config, logger: createLogger('silent'), db, clock, proactiveDialogs: ({ safety }) => [new QuestionDialog(safety, answers)] });
  const server = await buildServer(container, { version: 'test' });
  await server.listen({ host: '127.0.0.1', port });
  afterAll(() => server.close()); // before openTestDatabase's afterAll drops the database: hooks run in reverse
  inboundUrl = `http://127.0.0.1:${port}/sms/inbound`;
  careTeamId = (await container.careTeams.create({ name: 'Pharmacy', timeZone: 'America/New_York' })).id;
});

async function enroll(timeZone = 'America/New_York'): Promise<{ id: string; phone: string }> {
  const phone = `+1555777${String(++patients).padStart(4, '0')}`;
  const patient = await container.patients.create(
    { name: 'Ida Berg', phone, timeZone, language: 'en', dateOfBirth: '1950-05-05', careTeamId, consent: { sms: true } },
    { keyId: 'test', role: 'admin' },
  );
  return { id: patient.id, phone };
}

/** Texts as the patient through the signed webhook, waits for the turn, returns what CareLoop texted back. */
async function say(phone: string, body: string): Promise<string[]> {
  const before = fake.messages.filter((m) => m.to === phone).length;
  const res = await fake.postInbound(inboundUrl, fake.inboundParams({ from: phone, to: OUR_NUMBER, body, messageSid: newMessageSid() }));
  expect(res.status).toBe(200);
  await container.conversations.runtime.drain();
  return fake.messages.filter((m) => m.to === phone).slice(before).map((m) => m.body);
}

const ask = (patientId: string, key: string) =>
  container.conversations.proactive.begin({
    patientId, channel: 'sms', purpose: 'medication_reminders', idempotencyKey: key, dialogId: QuestionDialog.id, options: { question: QUESTION },
  });

const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone).map((m) => m.body);

describe('a proactive message that begins a dialog', () => {
  it('asks, and reads the reply in that dialog: "1" is an answer here, not the check-in menu choice', async () => {
    const patient = await enroll();
    expect(await ask(patient.id, 'q:read-in-context')).toMatchObject({ status: 'queued', messageId: 'q:read-in-context:0' });
    expect(sentTo(patient.phone)).toEqual([QUESTION]);

    expect(await say(patient.phone, '1')).toEqual(['Noted: 1']);
    expect(answers).toEqual(['1']);
    // The dialog is over: the next message is the normal conversation again.
    expect(await say(patient.phone, 'hi')).toEqual([expect.stringMatching(MENU)]);
    expect(answers).toEqual(['1']);
  });

  it('still gives way to an emergency word, which ends the question', async () => {
    const patient = await enroll();
    answers.length = 0;
    await ask(patient.id, 'q:emergency');
    const replies = await say(patient.phone, 'I have crushing chest pain');
    expect(replies).toHaveLength(EMERGENCY.length);
    EMERGENCY.forEach((pattern, i) => expect(replies[i]).toMatch(pattern));
    expect(answers).toEqual([]);
    expect(await say(patient.phone, 'hello')).toEqual([expect.stringMatching(MENU)]);
    expect(answers).toEqual([]);
  });

  it('begins nothing when the gateway refuses the question (quiet hours): the reply goes to the normal conversation', async () => {
    const patient = await enroll('Asia/Tokyo');
    answers.length = 0;
    expect(await ask(patient.id, 'q:quiet')).toMatchObject({ status: 'blocked', reason: 'quiet_hours' });
    expect(sentTo(patient.phone)).toEqual([]);
    expect(await say(patient.phone, '1')).toEqual([expect.stringMatching(/scale of 0 to 10/)]);
    expect(answers).toEqual([]);
  });

  it('waits while the patient is in the middle of another flow, and asks once they have left it', async () => {
    const patient = await enroll();
    answers.length = 0;
    expect(await say(patient.phone, '1')).toEqual([expect.stringMatching(/scale of 0 to 10/)]);
    expect(await ask(patient.id, 'q:busy')).toEqual({ status: 'busy' });
    expect(sentTo(patient.phone)).toHaveLength(1);
    // The check-in the patient is answering is intact.
    expect(await say(patient.phone, '7')).toEqual([expect.stringMatching(/anything you want your care team to know/i)]);

    clock.advance(31 * 60_000); // left the note question unanswered
    expect(await ask(patient.id, 'q:busy')).toMatchObject({ status: 'queued' });
    expect(await say(patient.phone, 'yes')).toEqual(['Noted: yes']);
    expect(answers).toEqual(['yes']);
  });

  it('says when there is nowhere to write, and refuses a dialog the bot does not know', async () => {
    const patient = await enroll();
    const webchat = await container.conversations.proactive.begin({
      patientId: patient.id, channel: 'webchat', purpose: 'medication_reminders', idempotencyKey: 'q:webchat', dialogId: QuestionDialog.id, options: { question: QUESTION },
    });
    expect(webchat).toEqual({ status: 'no_address' });
    await expect(
      container.conversations.proactive.begin({ patientId: patient.id, channel: 'sms', purpose: 'medication_reminders', idempotencyKey: 'q:unknown', dialogId: 'no.such.dialog' }),
    ).rejects.toThrow(/no proactive dialog "no.such.dialog"/);
    expect(sentTo(patient.phone)).toEqual([]);
  });
});
