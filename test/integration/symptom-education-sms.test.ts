import { beforeAll, describe, expect, it } from 'vitest';
import { fakeTwilio, startSmsApp } from '../helpers/sms.js';

let sms: Awaited<ReturnType<typeof startSmsApp>>;
let teamId: string;
let counter = 0;

beforeAll(async () => {
  sms = await startSmsApp(await fakeTwilio());
  teamId = (await api('POST', '/api/v1/care-teams', { name: 'Family Medicine', timeZone: 'America/Denver' })).id;
});

const api = (method: 'GET' | 'POST', path: string, body?: unknown) => sms.admin(method, path, body);

const say = (phone: string, text: string) => sms.say(phone, text);

/** Runs a symptom check, answering NO to every follow-up question, and returns the final replies. */
async function symptomCheck(phone: string, complaint: string): Promise<string[]> {
  expect(await say(phone, '2')).toEqual([expect.stringMatching(/Tell me what is wrong/)]);
  let replies = await say(phone, complaint);
  for (let i = 0; i < 4 && replies.length === 1 && /Reply YES or NO/.test(replies[0]!); i++) replies = await say(phone, 'no');
  return replies;
}

const newPhone = () => `+1777000${String(++counter).padStart(4, '0')}`;

describe('symptom checks by SMS', () => {
  it('tells an enrolled parent to call 911 for a feverish newborn, says why, and alerts the care team (the safety net answers before the check)', async () => {
    const phone = newPhone();
    const patient = await api('POST', '/api/v1/patients', { name: 'Lea Park', phone, timeZone: 'America/Denver', dateOfBirth: '1991-07-07', careTeamId: teamId, consent: { sms: true } });
    const replies = await symptomCheck(phone, 'my 5 week old baby is hot, temp is 38.6 and he is not feeding well');
    expect(replies[0]).toMatch(/Call 911 now/);
    expect(replies.some((r) => /Why: .*(baby|infant|3 months)/i.test(r))).toBe(true);
    const alerts = await api('GET', `/api/v1/alerts?patientId=${patient.id}`);
    expect(alerts.items).toEqual([expect.objectContaining({ kind: 'emergency', severity: 'critical' })]);
  });

  it('gives self-care advice, and what would change it, for a mild cold, without alerting anyone', async () => {
    const phone = newPhone();
    const patient = await api('POST', '/api/v1/patients', { name: 'Tom Reyes', phone, timeZone: 'America/Denver', dateOfBirth: '1985-03-03', careTeamId: teamId, consent: { sms: true } });
    const replies = await symptomCheck(phone, 'runny nose and a bit of a sore throat since yesterday, no fever, otherwise ok');
    expect(replies[0]).toMatch(/care for at home/);
    expect(replies.join('\n')).toMatch(/call 911/i);
    expect((await api('GET', `/api/v1/alerts?patientId=${patient.id}`)).items).toEqual([]);
  });

  it('is open to numbers that are not enrolled, who see no one\'s data', async () => {
    const phone = newPhone();
    const replies = await symptomCheck(phone, 'bad pain when i pee and need to go all the time for 2 days');
    expect(replies[0]).toMatch(/be seen today|appointment|care for at home/);
    expect(replies.join(' ')).not.toMatch(/care team has been told/);
  });
});

describe('education by SMS', () => {
  it('answers "my incision is red and leaking" from the wound article, says when to call, and names the source', async () => {
    const phone = newPhone();
    expect(await say(phone, '3')).toEqual([expect.stringMatching(/What would you like to know/)]);
    const replies = await say(phone, 'my incision is red and leaking, what should I do');
    const text = replies.join('\n');
    expect(text).toMatch(/Source: CareLoop library, "[^"]*[Ww]ound[^"]*" \((reviewed|updated) \d{4}-\d{2}-\d{2}\)\./);
    expect(text).not.toMatch(/\bv\d+\.\d+\b/);
    expect(text).toMatch(/When to call your care team\n+\S/);
  });

  it("says it does not know when the library has no answer", async () => {
    const phone = newPhone();
    await say(phone, '3');
    expect(await say(phone, 'who won the football game last night')).toEqual([expect.stringMatching(/I don't know\. Please ask your care team/)]);
  });

  it('takes a question asked straight away, without the menu', async () => {
    const replies = await say(newPhone(), 'what should I do if I miss a dose of my medicine?');
    expect(replies.join('\n')).toMatch(/Source: CareLoop library, "What to do if you miss a dose"/);
  });
});
