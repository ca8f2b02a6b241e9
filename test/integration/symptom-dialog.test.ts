import { beforeAll, describe, expect, it } from 'vitest';
import { fakeTwilio, startSmsApp } from '../helpers/sms.js';

/**
 * The symptom check as a careful nurse would run it, as data: what the patient texts and what CareLoop answers
 * (one pattern per reply, in order; a trailing MORE allows one or more further replies). Real SMS webhooks.
 */
const MORE = Symbol('more replies');
type Script = [patientSays: string, botReplies: (RegExp | typeof MORE)[]][];

const COMPLAINT = /^Tell me what is wrong/;
const YES_NO = /\? Reply YES or NO\.$/;
const MENINGITIS = /^Is there a stiff neck, .*\? Reply YES or NO\.$/;
const ASK_AGAIN = /^Sorry, I need a yes or no here\. .*\? Reply YES, NO or NOT SURE\.$/;
const ASK_MENINGITIS_AGAIN = /^Sorry, I need a yes or no here\. Is there a stiff neck, .*\? Reply YES, NO or NOT SURE\.$/;
/** "Call 911" once, and no lower level's home-care tips beside it. */
const EMERGENCY_ONCE = /^(?![\s\S]*911[\s\S]*911)(?![\s\S]*(?:fluids|rest until|paracetamol))This could be an emergency\. Call 911 now or go to the nearest emergency department\. Do not drive yourself\./i;
const WHY_RAISED = /^Why: You answered yes to ".*\?" That is a warning sign that needs emergency care now\.\n\nSource: .+/;
const WHY_UNSURE = /^Why: You were not sure about ".*\?" To be safe, that counts as a yes, and a yes is a warning sign that needs emergency care now\./;
const WHY = /^Why: .+\n\nSource: .+/s;
const WHY_NOT_RAISED = /^Why: (?![\s\S]*(?:answered yes|Raised by|meningitis))/;
/** A result below emergency: a headline, "- " tips, and blank-line paragraphs (markdown lists in Web Chat). */
const RESULT = /^(?!This could be an emergency)[^\n]+(?:\n- [^\n]+)*(?:\n\n[^\n]+)*$/;
const CAVEAT_MENINGITIS = /I could not tell your answer to "Is there a stiff neck, .*\?" If the answer is yes, call 911 now\./;
const TOLD = /care team has been told/;
const THANKS = /^Thank you\. If you need anything, reply 1 to check in/;
const MENU = /Reply 1 to tell your care team how you are feeling/;
const STRANGER_MENU = /I do not have a patient record for you/;

const FEVER_HEADACHE = 'I have a fever and a headache';
const HEADACHE = 'I have had a bad headache since this morning';

const enrolled: Record<string, Script> = {
  'an emergency answer gives the instruction once, no home-care tips, and a reason that agrees': [
    [FEVER_HEADACHE, [YES_NO]], ['yes', [EMERGENCY_ONCE, WHY_RAISED, TOLD]], ['hi', [MENU]],
  ],
  '"not sure" counts as yes, and the reason says so': [[FEVER_HEADACHE, [YES_NO]], ['not sure', [EMERGENCY_ONCE, WHY_UNSURE, TOLD]]],
  'a new symptom description in place of an answer is re-assessed': [[FEVER_HEADACHE, [YES_NO]], ['my neck is very stiff', [EMERGENCY_ONCE, WHY, TOLD]]],
  'short ordinary messages get a thanks, not a triage result': [
    ['took it', [THANKS]], ['ok thanks', [THANKS]], ['running 10 min late', [THANKS]], ['see you tuesday', [THANKS]], ['👍', [THANKS]], ['hi', [MENU]],
  ],
  '"not feeling well" is asked what is wrong': [['not feeling well', [/^I am sorry you are not feeling well\. Tell me what is wrong/]]],
  'a question about the question is asked again': [[FEVER_HEADACHE, [YES_NO]], ['what do you mean?', [ASK_AGAIN]], ['no', [YES_NO]]],
};

const strangers: Record<string, Script> = {
  'an open question never ends "Reply YES or NO"': [
    ['2', [COMPLAINT]], ['no symptoms, just feel off', [/^What symptoms do you have, and when did they start\?$/]], ['a bad headache since this morning', [MENINGITIS]],
    ['no', [YES_NO]], ['no', [YES_NO]], ['no', [RESULT, WHY_NOT_RAISED]],
  ],
  'a menu number is asked again once, never counted as yes': [
    [HEADACHE, [MENINGITIS]], ['3', [ASK_MENINGITIS_AGAIN]], ['3', [YES_NO]], ['no', [YES_NO]], ['no', [RESULT, WHY_NOT_RAISED]],
  ],
  'after a second non-answer the result says what a yes would have meant': [
    [HEADACHE, [MENINGITIS]], ['3', [ASK_MENINGITIS_AGAIN]], ['3', [YES_NO]], ['no', [YES_NO]], ['no', [CAVEAT_MENINGITIS, WHY_NOT_RAISED]],
  ],
  'a new question gets the result first, then the answer': [
    [HEADACHE, [MENINGITIS]], ['can I take ibuprofen for it?', [CAVEAT_MENINGITIS, WHY_NOT_RAISED, MORE]], ['hi', [STRANGER_MENU]],
  ],
};

let sms: Awaited<ReturnType<typeof startSmsApp>>;
let teamId: string;
let counter = 0;

beforeAll(async () => {
  sms = await startSmsApp(await fakeTwilio());
  teamId = (await sms.admin('POST', '/api/v1/care-teams', { name: 'General Practice', timeZone: 'America/Chicago' })).id;
});

async function runScript(script: Script, enroll: boolean): Promise<void> {
  const phone = `+1777333${String(++counter).padStart(4, '0')}`;
  if (enroll) {
    await sms.admin('POST', '/api/v1/patients', { name: 'Rosa Diaz', phone, timeZone: 'America/Chicago', dateOfBirth: '1961-06-06', careTeamId: teamId, consent: { sms: true } });
  }
  for (const [says, expected] of script) {
    const replies = await sms.say(phone, says);
    const patterns = expected.filter((pattern): pattern is RegExp => pattern !== MORE);
    const context = `after "${says}": ${JSON.stringify(replies)}`;
    if (expected.includes(MORE)) expect(replies.length, context).toBeGreaterThan(patterns.length);
    else expect(replies, context).toHaveLength(patterns.length);
    patterns.forEach((pattern, i) => expect(replies[i], `reply ${i} ${context}`).toMatch(pattern));
  }
}

describe('the symptom check by SMS', () => {
  it.each(Object.entries(enrolled))('%s', async (_name, script) => runScript(script, true));
  it.each(Object.entries(strangers))('%s (a number not enrolled)', async (_name, script) => runScript(script, false));
});
