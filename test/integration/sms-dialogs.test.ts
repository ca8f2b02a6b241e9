import { beforeAll, describe, expect, it } from 'vitest';
import { fakeTwilio, startSmsApp } from '../helpers/sms.js';

/**
 * Conversations as data: each step is what the patient texts and what CareLoop must answer (one pattern per
 * reply, in order; [] means nothing may be sent). One harness runs them all over real SMS webhooks.
 */
type Script = [patientSays: string, botReplies: RegExp[]][];

const MENU = /Reply 1 to tell your care team how you are feeling/;
const SCORE = /scale of 0 to 10/;
const NOTE = /anything you want your care team to know/i;
const EMERGENCY = [/Call 911 now/, /alerted your care team/];

const scripts: Record<string, Script> = {
  'a check-in from start to end': [['hi', [MENU]], ['1', [SCORE]], ['I took thirty', [/number from 0 to 10/]], ['7', [NOTE]], ['no chest pain today, just tired', [/Your care team will see this/]]],
  'a low check-in is flagged for a nurse': [['1', [SCORE]], ['2', [NOTE]], ['no', [/A nurse from your care team will look at this/]]],
  'chest pain at the menu': [['hi', [MENU]], ['I have crushing chest pain', EMERGENCY]],
  'chest pain at the score prompt': [['1', [SCORE]], ['I have crushing chest pain', EMERGENCY], ['hello', [MENU]]],
  'trouble breathing at the note prompt': [['1', [SCORE]], ['6', [NOTE]], ['cant breathe properly and my lips look blue', EMERGENCY]],
  'suicidal thoughts get the crisis line': [['hi', [MENU]], ['i want to kill myself', [/988/, /alerted your care team/]]],
  'HELP keeps the question open': [['1', [SCORE]], ['HELP', [/Riverside Clinic.*\+15550001234.*STOP/]], ['5', [NOTE]]],
  'asking for a nurse': [['1', [SCORE]], ['can I talk to a nurse', [/asked your care team to contact you/]], ['hi', [MENU]]],
  'STOP at the menu': [['hi', [MENU]], ['STOP', [/unsubscribed/]], ['1', []]],
  'STOP at the score prompt': [['1', [SCORE]], ['stop', [/unsubscribed/]], ['5', []]],
  'STOP at the note prompt': [['1', [SCORE]], ['4', [NOTE]], ['Stop', [/unsubscribed/]], ['hello', []], ['START', [/subscribed .* again/]], ['hi', [MENU]]],
};

let sms: Awaited<ReturnType<typeof startSmsApp>>;
let teamId: string;
let counter = 0;

beforeAll(async () => {
  sms = await startSmsApp(await fakeTwilio());
  teamId = (await api('POST', '/api/v1/care-teams', { name: 'Surgery', timeZone: 'America/Chicago' })).id;
});

const api = (method: 'GET' | 'POST', path: string, body?: unknown) => sms.admin(method, path, body);

async function runScript(script: Script): Promise<{ patientId: string; phone: string }> {
  const phone = `+1666555${String(++counter).padStart(4, '0')}`;
  const patient = await api('POST', '/api/v1/patients', { name: 'Eva Lund', phone, timeZone: 'America/Chicago', dateOfBirth: '1944-02-02', careTeamId: teamId, consent: { sms: true } });
  for (const [says, expected] of script) {
    const replies = await sms.say(phone, says);
    expect(replies, `after "${says}": ${JSON.stringify(replies)}`).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(replies[i], `reply ${i} after "${says}"`).toMatch(pattern));
  }
  return { patientId: patient.id, phone };
}

describe('SMS conversations', () => {
  it.each(Object.entries(scripts))('%s', async (_name, script) => {
    await runScript(script);
  });

  it('raises one critical alert for an emergency, and none for "no chest pain today"', async () => {
    const calm = await runScript(scripts['a check-in from start to end']!);
    const urgent = await runScript(scripts['chest pain at the score prompt']!);
    const alerts = (await api('GET', '/api/v1/alerts?status=open')).items as { kind: string; severity: string; patientId: string; careTeamId: string; reason: string }[];
    expect(alerts.filter((a) => a.patientId === calm.patientId && a.kind === 'emergency')).toEqual([]);
    const raised = alerts.filter((a) => a.patientId === urgent.patientId);
    expect(raised).toEqual([expect.objectContaining({ kind: 'emergency', severity: 'critical', careTeamId: teamId, reason: expect.stringMatching(/cardiac/) })]);
  });

  it("shows clinicians the patient's conversation, both directions, with statuses", async () => {
    const { patientId } = await runScript(scripts['a low check-in is flagged for a nurse']!);
    const page = await api('GET', `/api/v1/patients/${patientId}/messages?limit=50`);
    const directions = page.items.map((m: { direction: string }) => m.direction);
    expect(directions.filter((d: string) => d === 'inbound')).toHaveLength(3);
    expect(directions.filter((d: string) => d === 'outbound')).toHaveLength(3);
    expect(page.items.every((m: { status: string }) => ['received', 'queued', 'sent', 'delivered'].includes(m.status))).toBe(true);
    const alerts = (await api('GET', `/api/v1/alerts?patientId=${patientId}`)).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'wellbeing_low', severity: 'normal' })]);
    const acknowledged = await api('POST', `/api/v1/alerts/${encodeURIComponent(alerts[0].id)}/acknowledge`);
    expect(acknowledged.status).toBe('acknowledged');
  });
});
