import { describe, expect, it } from 'vitest';
import { readAnswer, type AnswerResult } from '../../src/domain/postop/answers.js';
import { loadDefaultProtocol, protocolSchema, type Question } from '../../src/domain/postop/protocol.js';

const NOW = new Date('2025-06-02T15:00:00Z');
const protocol = loadDefaultProtocol();

function question(id: string): Question {
  const found = protocol.questions.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no question ${id} in the default protocol`);
  return found;
}

const read = (id: string, text: string, mediaCount = 0): AnswerResult => readAnswer(question(id), text, { now: NOW, mediaCount });
/** The value a reply gives, whatever its status: answered, or a red flag that also answered. */
const valueOf = (result: AnswerResult): unknown => (result.status === 'unclear' ? undefined : result.value);

describe('a 0-10 scale', () => {
  it.each([
    ['7', 7], ['seven', 7], ['7/10', 7], ['about a 6', 6], ['8 out of 10', 8], ['6-7', 7], ['6.5', 7], ['no pain', 0], ['zero', 0], ['10+', 10], ['11 out of 10', 10],
  ])('reads "%s" as %s', (text, value) => {
    const result = read('pain', text);
    expect(result).toMatchObject({ status: 'answered', value, facts: { pain: value } });
  });

  it('asks again, in the question own words, for a number that is no score or words that give none', () => {
    for (const text of ['15', 'it is bad', '']) expect(read('pain', text)).toEqual({ status: 'unclear', reprompt: question('pain').reprompt, facts: {} });
  });

  it('does not send its own score to triage: "pain is 8/10" is an answer, not a red flag', () => {
    expect(read('pain', 'pain is 8/10')).toEqual({ status: 'answered', value: 8, facts: { pain: 8 } });
  });
});

describe('a temperature', () => {
  it.each([
    ['101.2', 38.4], ['38.5C', 38.5], ['38,4', 38.4], ['99 F', 37.2], ['37', 37], ['98.6 this morning', 37], ['102 degrees', 38.9], ['36.8 c', 36.8],
  ])('reads "%s" as %s C', (text, celsius) => {
    const result = read('temperature', text);
    expect(valueOf(result)).toBe(celsius);
    expect(result.facts.temperature_c).toBe(celsius);
  });

  it('counts 38.3 C and above as a red flag, below as an answer', () => {
    expect(read('temperature', '38.2').status).toBe('answered');
    expect(read('temperature', '38.3')).toMatchObject({ status: 'red_flag', level: 'high', flags: [{ id: 'postop.fever', fact: 'temperature_c' }] });
  });

  it.each(['no fever', "didn't take it", "don't have a thermometer", 'not taken', 'not sure'])('reads "%s" as unknown, an answer with no temperature fact', (text) => {
    expect(read('temperature', text)).toEqual({ status: 'answered', value: 'unknown', facts: {} });
  });

  it('asks again for a number that is no body temperature, or a yes', () => {
    for (const text of ['380', '3', 'yes']) expect(read('temperature', text).status).toBe('unclear');
  });
});

describe('a yes/no question', () => {
  it.each([
    ['swelling', 'yes', true], ['swelling', 'yep', true], ['swelling', 'no', false], ['swelling', 'nope', false], ['swelling', 'not swollen', false],
    ['swelling', 'a bit puffy', true], ['swelling', 'looks fine', false], ['pain_controlled', 'yes', true], ['pain_controlled', 'no', false],
    ['pain_controlled', 'not helping', false], ['pain_controlled', 'the meds are working', true], ['eating_drinking', "can't keep anything down", false],
    ['eating_drinking', 'eating a little', true], ['passing_urine', "can't pee", false], ['passing_urine', 'peeing fine', true],
  ])('%s: reads "%s" as %s', (id, text, value) => {
    expect(read(id, text)).toEqual({ status: 'answered', value, facts: { [question(id).fact]: value } });
  });

  it('reads a hedge ("a little", "kinda") as the answer that is a concern for that question', () => {
    for (const text of ['a little', 'kinda']) {
      expect(valueOf(read('swelling', text))).toBe(true);
      expect(valueOf(read('pain_controlled', text))).toBe(false);
    }
  });

  it('raises the red flag of a worrying yes at once', () => {
    expect(read('calf_pain', 'my left calf hurts')).toMatchObject({ status: 'red_flag', level: 'high', value: true, facts: { calf_pain: true } });
  });
});

describe('a choice', () => {
  it.each([
    ['redness', 'no', 'none'], ['redness', 'not red', 'none'], ['redness', 'no redness', 'none'], ['redness', 'yes', 'present'], ['redness', 'a little', 'present'],
    ['drainage', 'clear fluid', 'clear'], ['drainage', 'pale yellow', 'clear'], ['drainage', 'some blood on the bandage', 'bloody'], ['drainage', "doesn't smell", 'none'],
    ['bleeding', 'no', 'none'], ['bleeding', 'some blood on the bandage', 'light'], ['bleeding', 'bleeding stopped', 'none'],
  ])('%s: reads "%s" as %s', (id, text, value) => {
    expect(read(id, text)).toEqual({ status: 'answered', value, facts: { [question(id).fact]: value } });
  });

  it.each([
    ['drainage', 'green stuff', 'thick'], ['drainage', 'yellowish pus', 'thick'], ['drainage', 'smells bad', 'foul'], ['drainage', 'thick and smelly', 'foul'],
    ['redness', 'red streaks', 'spreading'], ['redness', "it's red and spreading up my arm", 'spreading'],
  ])('%s: reads "%s" as %s, a high red flag', (id, text, value) => {
    expect(read(id, text)).toMatchObject({ status: 'red_flag', level: 'high', value, facts: { [question(id).fact]: value } });
  });

  it('reads "soaked through" as heavy bleeding, a critical red flag', () => {
    expect(read('bleeding', 'soaked through')).toMatchObject({ status: 'red_flag', level: 'critical', value: 'heavy', facts: { bleeding: 'heavy' } });
  });

  it('lets one question set two facts, and a denial of one leave it unset', () => {
    expect(read('breathing_chest', 'no')).toEqual({ status: 'answered', value: 'none', facts: { breathless: false, chest_pain: false } });
    expect(read('breathing_chest', 'no chest pain but a bit short of breath')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { breathless: true } });
    expect(read('breathing_chest', 'no chest pain but a bit short of breath').facts.chest_pain).toBeUndefined();
    expect(read('breathing_chest', 'yes').facts).toEqual({ breathless: true, chest_pain: true });
  });

  it('asks again when a plain yes or hedge does not say which option', () => {
    expect(read('drainage', 'yes')).toEqual({ status: 'unclear', reprompt: question('drainage').reprompt, facts: {} });
    expect(read('bleeding', 'yes').status).toBe('unclear');
  });

  it('reads an opened wound with something showing as organs visible', () => {
    expect(read('wound_opening', 'the wound opened and something is poking out')).toMatchObject({ status: 'red_flag', level: 'critical', value: 'inside', facts: { wound_opening: true, organs_visible: true } });
    expect(read('wound_opening', 'stitches came out')).toMatchObject({ status: 'red_flag', level: 'high', facts: { wound_opening: true } });
  });

  it('works from a protocol sent to the API, with its own words', () => {
    const custom = protocolSchema.parse({
      status: 'draft', id: 'custom', version: 1, days: [1], sendHour: '08:00',
      questions: [{ id: 'ooze', kind: 'choice', fact: 'drainage', text: 'Any ooze? Reply NO or GUNK.', ifNo: 'none', options: [{ id: 'none', words: ['dry'] }, { id: 'thick', words: ['gunk*'] }] }],
    });
    const [ooze] = custom.questions;
    expect(readAnswer(ooze!, 'bit gunky', { now: NOW })).toMatchObject({ status: 'red_flag', value: 'thick' });
    expect(readAnswer(ooze!, 'dry', { now: NOW })).toEqual({ status: 'answered', value: 'none', facts: { drainage: 'none' } });
  });
});

describe('a photo', () => {
  it('is sent when the message carries a picture, skipped when the patient says so', () => {
    expect(read('photo', '', 1)).toEqual({ status: 'answered', value: true, facts: { photo: true } });
    for (const text of ['skip', 'no', 'not today']) expect(read('photo', text)).toEqual({ status: 'answered', value: false, facts: { photo: false } });
    expect(read('photo', 'here it is')).toEqual({ status: 'unclear', reprompt: question('photo').reprompt, facts: {} });
  });
});

describe('free text in an answer', () => {
  it('is never recorded as a plain answer when triage finds an emergency', () => {
    const result = read('swelling', "no, but I can't breathe");
    expect(result).toMatchObject({ status: 'red_flag', level: 'critical', facts: { swelling: false, breathless: true } });
    expect(result.status === 'red_flag' && result.flags.some((flag) => flag.id.startsWith('triage.'))).toBe(true);
  });

  it('sets the facts it implies, whichever question it answers', () => {
    expect(read('pain', 'the wound opened and something is poking out')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { wound_opening: true, organs_visible: true } });
    expect(read('pain', '5 but the dressing is soaked with blood')).toMatchObject({ status: 'red_flag', level: 'critical', value: 5, facts: { pain: 5, bleeding: 'heavy' } });
    expect(read('pain', '8, and I have a fever of 102')).toMatchObject({ status: 'red_flag', level: 'high', value: 8, facts: { pain: 8, temperature_c: 38.9 } });
  });

  it('makes a triage level of urgent a high red flag', () => {
    const result = read('eating_drinking', 'yes but I have not peed since yesterday');
    expect(result).toMatchObject({ status: 'red_flag', level: 'high', facts: { eating_drinking: true, passing_urine: false } });
    expect(result.status === 'red_flag' && result.flags.map((flag) => flag.id)).toContain('triage.urinary.not_peeing');
  });

  it('reads a denial as a denial, not a mention', () => {
    expect(read('pain', '3, no bleeding, no chest pain')).toEqual({ status: 'answered', value: 3, facts: { pain: 3 } });
    expect(read('temperature', 'no fever')).toEqual({ status: 'answered', value: 'unknown', facts: {} });
  });

  it('tells the patient what to do now, with the numbers left for the caller', () => {
    const critical = read('wound_opening', 'I can see inside');
    const high = read('redness', 'spreading');
    expect(critical.status === 'red_flag' && critical.message).toMatch(/^Call \{EMERGENCY_NUMBER\} now.*Do not push anything back in/);
    expect(high.status === 'red_flag' && high.message).toMatch(/call your surgical team today at \{CARE_TEAM_PHONE\}/);
  });
});
