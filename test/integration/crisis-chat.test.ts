import { beforeAll, describe, expect, it } from 'vitest';
import { fakeTwilio, startSmsApp } from '../helpers/sms.js';

/**
 * Suicide and self-harm by SMS, through real webhooks, the real dialogs and a real database: a crisis message
 * gets the crisis reply and exactly one critical alert at every dialog state; a passive wish runs the ASQ
 * screener; figures of speech get neither. Steps are data: what the patient texts, what CareLoop must answer.
 */
type Script = [patientSays: string, botReplies: RegExp[]][];

const CRISIS = [/988.*911|911.*988/, /alerted your care team/];

/** How to reach each dialog state from a fresh conversation, ending on that state's question. */
const STATES: Record<string, Script> = {
  'the main menu': [['hi', [/Reply 1 to tell your care team/]]],
  'the check-in score prompt': [['1', [/scale of 0 to 10/]]],
  'the check-in note prompt': [['1', [/scale of 0 to 10/]], ['8', [/anything you want your care team to know/i]]],
  'the symptom-check follow-up': [['2', [/Tell me what is wrong/]], ['bad headache since this morning', [/Reply YES/]]],
  'the education question prompt': [['3', [/What would you like to know/]]],
};

const CRISIS_MESSAGES = {
  'intent with a plan': "I've decided, I'm going to kill myself tonight when everyone is asleep",
  'a lethal-amount question': 'how many of my sleeping pills would it take to not wake up',
  'self-harm in progress': 'I just took the whole packet of my tablets',
};

const FIGURES = [
  "I'm dying to see the new baby", 'this heat is killing me', 'i could kill for a cheeseburger', 'we died laughing at the movie',
  'my phone died so i missed your call', 'shoot me a text when the results are in', 'just killing time in the waiting room',
  "I'm dead tired today", 'her lasagna is to die for', 'I keep shooting myself in the foot with my diet',
];

const INTRO = /Thank you for telling me.*911.*988/;
const Q1 = /wished you were dead\? Please reply YES or NO/;
const Q2 = /better off if you were dead\? Please reply YES or NO/;
const Q3 = /thoughts about killing yourself\? Please reply YES or NO/;
const Q4 = /ever tried to kill yourself\? Please reply YES or NO/;
const Q5 = /thoughts of killing yourself right now\? Please reply YES or NO/;

let sms: Awaited<ReturnType<typeof startSmsApp>>;
let teamId: string;
let counter = 0;

beforeAll(async () => {
  sms = await startSmsApp(await fakeTwilio());
  teamId = (await api('POST', '/api/v1/care-teams', { name: 'Behavioral Health', timeZone: 'America/New_York' })).id;
});

const api = (method: 'GET' | 'POST', path: string, body?: unknown) => sms.admin(method, path, body);

interface Alert { kind: string; severity: string; reason: string; careTeamId?: string }

async function enrol(): Promise<{ patientId: string; phone: string }> {
  const phone = `+1888555${String(++counter).padStart(4, '0')}`;
  const patient = await api('POST', '/api/v1/patients', { name: 'Noor Haddad', phone, timeZone: 'America/New_York', dateOfBirth: '1980-05-05', careTeamId: teamId, consent: { sms: true } });
  return { patientId: patient.id, phone };
}

async function run(phone: string, script: Script): Promise<string[]> {
  const all: string[] = [];
  for (const [says, expected] of script) {
    const replies = await sms.say(phone, says);
    all.push(...replies);
    expect(replies, `after "${says}": ${JSON.stringify(replies)}`).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(replies[i], `reply ${i} after "${says}"`).toMatch(pattern));
  }
  return all;
}

const alertsOf = async (patientId: string): Promise<Alert[]> => (await api('GET', `/api/v1/alerts?patientId=${patientId}`)).items;

describe('a crisis message by SMS', () => {
  const cases = Object.entries(CRISIS_MESSAGES).flatMap(([what, text]) => Object.keys(STATES).map((state) => [what, state, text] as const));

  it.each(cases)('%s at %s gets the crisis reply and one critical alert, then the conversation starts over', async (_what, state, text) => {
    const { patientId, phone } = await enrol();
    await run(phone, [...STATES[state]!, [text, CRISIS], ['hi', [/Reply 1 to tell your care team/]]]);
    const alerts = await alertsOf(patientId);
    expect(alerts).toEqual([expect.objectContaining({ kind: 'emergency', severity: 'critical', careTeamId: teamId, reason: expect.stringMatching(/^crisis:/) })]);
  });

  it('never answers a lethal-amount question with dosing information', async () => {
    const { phone } = await enrol();
    const replies = await run(phone, [['3', [/What would you like to know/]], [CRISIS_MESSAGES['a lethal-amount question'], CRISIS]]);
    expect(replies.join(' ')).not.toMatch(/\bmg\b|milligram|maximum|per day|Source:/i);
  });
});

describe('the crisis screener (ASQ) after a passive wish to die', () => {
  it('acute: a yes to "right now" gets the crisis reply and a critical alert', async () => {
    const { patientId, phone } = await enrol();
    await run(phone, [['hi', [/Reply 1/]], ['honestly i wish i was dead', [INTRO, Q1]], ['yes', [Q2]], ['no', [Q3]], ['no', [Q4]], ['no', [Q5]], ['yes', CRISIS]]);
    expect(await alertsOf(patientId)).toEqual([expect.objectContaining({ kind: 'emergency', severity: 'critical', reason: 'crisis_screen:acute' })]);
  });

  it('non-acute positive: the care team is asked to call today, and the patient gets 988 and the clinic', async () => {
    const { patientId, phone } = await enrol();
    await run(phone, [
      ['1', [/scale of 0 to 10/]], ['5', [/anything you want/i]], ['everyone would be better off without me', [INTRO, Q1]],
      ['what?', [/Sorry, I did not catch that\. .*wished you were dead/]], ['sometimes', [Q2]], ['yes i feel that way', [Q3]], ['no', [Q4]], ['no', [Q5]],
      ['no', [/care team will call you today.*988.*Riverside Clinic at \+15550001234.*911/]],
      ['hi', [/Reply 1 to tell your care team/]],
    ]);
    expect(await alertsOf(patientId)).toEqual([expect.objectContaining({ kind: 'triage', severity: 'high', reason: 'crisis_screen:positive_non_acute' })]);
  });

  it('all no: a supportive message with 988, and no alert', async () => {
    const { patientId, phone } = await enrol();
    await run(phone, [["what's the point of living", [INTRO, Q1]], ['no', [Q2]], ['nope', [Q3]], ['no', [Q4]], ['never', [/call or text 988 any time/]]]);
    expect(await alertsOf(patientId)).toEqual([]);
  });

  it('a restated wish is an answer, not a new screen; a crisis mid-screen is still a crisis', async () => {
    const { patientId, phone } = await enrol();
    await run(phone, [
      ['i dont want to be here anymore', [INTRO, Q1]], ['yes, i wish i was dead most days', [Q2]],
      ['im going to take all my sleeping pills tonight', CRISIS], ['hi', [/Reply 1 to tell your care team/]],
    ]);
    expect(await alertsOf(patientId)).toEqual([expect.objectContaining({ kind: 'emergency', severity: 'critical', reason: expect.stringMatching(/^crisis:plan/) })]);
  });

  it('runs for a number that is not enrolled, without pretending a care team was told', async () => {
    const phone = `+1888666${String(++counter).padStart(4, '0')}`;
    await run(phone, [['i wish i could go to sleep and never wake up', [INTRO, Q1]], ['yes', [Q2]], ['yes', [Q3]], ['no', [Q4]], ['no', [Q5]], ['no', [/not linked to a care team.*988/]]]);
  });
});

describe('figures of speech by SMS', () => {
  it.each(FIGURES)('%j gets no crisis reply and no alert', async (figure) => {
    const { patientId, phone } = await enrol();
    const replies = await sms.say(phone, '3').then(async (first) => [...first, ...(await sms.say(phone, figure))]);
    expect(replies.join(' ')).not.toMatch(/988|Lifeline|Call 911 now|wished you were dead/);
    expect(await alertsOf(patientId)).toEqual([]);
  });
});
