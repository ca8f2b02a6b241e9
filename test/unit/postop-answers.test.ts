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
    ['7', 7], ['seven', 7], ['7/10', 7], ['about a 6', 6], ['8 out of 10', 8], ['6-7', 7], ['6.5', 7], ['no pain', 0], ['zero', 0],
  ])('reads "%s" as %s', (text, value) => {
    const result = read('pain', text);
    expect(result).toMatchObject({ status: 'answered', value, facts: { pain: value } });
  });

  it.each([['10+', 10], ['11 out of 10', 10], ['ten', 10]])('reads "%s" as %s, the worst pain: a high red flag', (text, value) => {
    expect(read('pain', text)).toMatchObject({ status: 'red_flag', level: 'high', value, facts: { pain: value }, flags: [{ id: 'postop.worst_pain' }] });
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

  it('counts 38.0 C (100.4 F) and above as a red flag, below as an answer', () => {
    expect(read('temperature', '37.9').status).toBe('answered');
    for (const text of ['38.0', '38', '100.4 F']) expect(read('temperature', text)).toMatchObject({ status: 'red_flag', level: 'high', flags: [{ id: 'postop.fever', fact: 'temperature_c' }] });
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
    ['swelling', 'a bit puffy', true], ['swelling', 'looks fine', false], ['pain_controlled', 'yes', true],
    ['pain_controlled', 'the meds are working', true], ['eating_drinking', "can't keep anything down", false],
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
    expect(read('breathing_chest', 'no chest pain but a bit short of breath')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { breathless: true, chest_pain: false } });
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

/** The level a reply raises: critical, high, or none. */
const levelOf = (result: AnswerResult): string => (result.status === 'red_flag' ? result.level : 'none');
const flagIds = (result: AnswerResult): string[] => (result.status === 'red_flag' ? result.flags.map((flag) => flag.id) : []);

describe('pain the medicine does not control (ACS / NHS: call the surgeon today)', () => {
  it.each(['no', 'not helping', 'I vomited the pills up', 'they wear off too fast', 'ran out on friday', 'still awful even after a dose', "can't sleep with it"])('"%s" is not controlled: a high red flag', (text) => {
    expect(read('pain_controlled', text)).toMatchObject({ status: 'red_flag', level: 'high', value: false, facts: { pain_controlled: false }, flags: [{ id: 'postop.pain_uncontrolled' }] });
  });

  it.each(['yes for the most part', 'mainly yes, twinges when I get up', 'yeah, though they make me constipated', 'not needed, hardly hurts', 'they take the edge off'])('"%s" is controlled', (text) => {
    expect(read('pain_controlled', text)).toEqual({ status: 'answered', value: true, facts: { pain_controlled: true } });
  });

  it('reads a hedge said of the answer itself as not controlled', () => {
    expect(valueOf(read('pain_controlled', 'yes sort of'))).toBe(false);
  });

  it('records pain_controlled = false from a pain answer that says the medicine does not help', () => {
    expect(read('pain', '6 even on the codeine')).toMatchObject({ status: 'red_flag', level: 'high', value: 6, facts: { pain: 6, pain_controlled: false } });
    expect(read('pain', '5, the tablets are not doing anything')).toMatchObject({ facts: { pain_controlled: false } });
    expect(read('pain', '4, tablets help')).toEqual({ status: 'answered', value: 4, facts: { pain: 4 } });
  });
});

describe('a pain score over time', () => {
  it('reads severe pain getting worse, or the worst pain, as a high red flag', () => {
    expect(read('pain', '8 and getting worse')).toMatchObject({ status: 'red_flag', level: 'high', value: 8, flags: [{ id: 'postop.severe_pain_worsening' }] });
    expect(read('pain', '4 and getting worse').status).toBe('answered');
  });

  it('records the current score of a change over time, and the last of a corrected one', () => {
    expect(read('pain', 'it was 8 this morning, 3 now')).toEqual({ status: 'answered', value: 3, facts: { pain: 3 } });
    expect(read('pain', '9!! well ok more like 5')).toEqual({ status: 'answered', value: 5, facts: { pain: 5 } });
    expect(valueOf(read('pain', '3 yesterday, 7 now'))).toBe(7);
  });

  it('does not read the ends of the scale as a score', () => {
    expect(read('pain', 'from 0 to 10 I would say a 3')).toEqual({ status: 'answered', value: 3, facts: { pain: 3 } });
  });
});

describe('a temperature: fever 38.0 C, low below 36.0 C, feverish without a reading', () => {
  it('reads numbers said in words', () => {
    expect(valueOf(read('temperature', 'thirty six point nine'))).toBe(36.9);
    expect(valueOf(read('temperature', 'a hundred and one'))).toBe(38.3);
    expect(valueOf(read('temperature', '37 point 1'))).toBe(37.1);
  });

  it('reads below 36.0 C as a high red flag, and with shaking or feeling very unwell as possible sepsis', () => {
    expect(read('temperature', '35.8')).toMatchObject({ status: 'red_flag', level: 'high', flags: [{ id: 'postop.low_temperature' }] });
    expect(read('temperature', '35.5 and i keep shaking')).toMatchObject({ status: 'red_flag', level: 'critical' });
    expect(flagIds(read('temperature', '35.6, I feel terrible'))).toContain('postop.possible_sepsis');
  });

  it('reads feeling feverish with no reading as unknown and a high red flag, and a denial as neither', () => {
    const result = read('temperature', 'no thermometer but im shivery and hot');
    expect(result).toMatchObject({ status: 'red_flag', level: 'high', value: 'unknown', flags: [{ id: 'postop.feverish_unmeasured' }] });
    expect(result.facts.temperature_c).toBeUndefined();
    expect(read('temperature', "didn't check, not feeling hot")).toEqual({ status: 'answered', value: 'unknown', facts: {} });
  });
});

describe('local signs of wound infection (CDC / NHSN superficial SSI)', () => {
  it.each([['redness', 'red and warm around it'], ['swelling', 'puffy and hard and it throbs'], ['swelling', 'the lump by my scar is growing'], ['redness', 'a little pink but getting redder']])('%s: "%s" is a high red flag', (id, text) => {
    expect(read(id, text)).toMatchObject({ status: 'red_flag', level: 'high', flags: [{ id: 'postop.wound_infection_signs' }] });
  });

  it('reads one sign alone, bruising and past swelling as no red flag', () => {
    expect(levelOf(read('swelling', 'yes a bit puffy'))).toBe('none');
    expect(read('redness', 'kind of purple like a bruise')).toEqual({ status: 'answered', value: 'none', facts: { redness: 'none' } });
    expect(read('swelling', 'swelling went down days ago, fine now')).toEqual({ status: 'answered', value: false, facts: { swelling: false } });
    expect(read('drainage', 'there was some yellow goo on monday, nothing since')).toMatchObject({ status: 'answered', value: 'none' });
  });

  it('does not read another body part or another person as the wound', () => {
    expect(read('swelling', 'my ankle is swollen from the cannula').facts.swelling).toBeUndefined();
    expect(read('bleeding', 'nope, my gums bled brushing my teeth')).toEqual({ status: 'answered', value: 'none', facts: { bleeding: 'none' } });
  });
});

describe('the breathing and chest question', () => {
  it('sets both facts from the keyword replies', () => {
    expect(read('breathing_chest', 'BREATH')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { breathless: true, chest_pain: false } });
    expect(read('breathing_chest', 'Chest')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { chest_pain: true, breathless: false } });
    expect(read('breathing_chest', 'tight chest and breathless')).toMatchObject({ level: 'critical', facts: { chest_pain: true, breathless: true } });
  });

  it.each([
    'hiccuping a lot', 'nope, a chesty cough with some phlegm but breathing fine', 'my son has a chest infection', "no. my scar pulls when I take a really deep breath",
    'felt tight in the chest on day one, nothing since', 'no. wound is a bit sore tho',
  ])('"%s" is no red flag', (text) => {
    expect(levelOf(read('breathing_chest', text))).toBe('none');
  });

  it('asks again after an answer that is no answer, never raising a flag from it', () => {
    for (const text of ['😊', '👍', 'ok', 'K']) expect(read('breathing_chest', text)).toEqual({ status: 'unclear', reprompt: question('breathing_chest').reprompt, facts: {} });
  });
});

describe('bleeding and an opened wound', () => {
  it('reads heavy bleeding as critical on any question, but not a joke retracted in the same answer or old blood', () => {
    expect(read('bleeding', 'dripping through the bandage')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { bleeding: 'heavy' } });
    expect(read('pain', '6 and blood is pouring out of the wound')).toMatchObject({ level: 'critical', facts: { bleeding: 'heavy' } });
    expect(read('drainage', 'bloody, the pad is soaked in blood')).toMatchObject({ level: 'critical', facts: { bleeding: 'heavy' } });
    expect(read('drainage', 'a bit bloody, not gushing or anything')).toEqual({ status: 'answered', value: 'bloody', facts: { drainage: 'bloody' } });
    expect(read('bleeding', 'loads of blood lol jk, a spot')).toEqual({ status: 'answered', value: 'light', facts: { bleeding: 'light' } });
    expect(read('bleeding', 'just some dried blood from before')).toEqual({ status: 'answered', value: 'none', facts: { bleeding: 'none' } });
  });

  it('records drainage named in a bleeding answer, pus as a high red flag', () => {
    expect(read('bleeding', 'few drops and some green pus')).toMatchObject({ status: 'red_flag', level: 'high', facts: { bleeding: 'light', drainage: 'thick' } });
  });

  it('reads a burst wound with fluid gushing as critical, and a strip or stitch end as not open', () => {
    expect(read('wound_opening', 'split open and fluid pouring out')).toMatchObject({ status: 'red_flag', level: 'critical' });
    expect(flagIds(read('wound_opening', 'split open and fluid pouring out'))).toContain('postop.wound_burst');
    expect(read('wound_opening', 'a steristrip peeled off, skin is fine')).toMatchObject({ status: 'answered', value: 'none', facts: { wound_opening: false } });
    expect(read('wound_opening', 'skin is closed, just a knot poking out at one end')).toMatchObject({ status: 'answered', facts: { wound_opening: false, organs_visible: false } });
    expect(read('wound_opening', 'it gaped a bit on monday but the doctor restitched it')).toMatchObject({ status: 'answered', facts: { wound_opening: false } });
  });
});

describe('breathing trouble anywhere, and answers that are no answer', () => {
  it('reads trouble breathing in any answer as critical, even where a word of it is the question own', () => {
    expect(read('swelling', 'my throat is swelling and I am struggling to breathe')).toMatchObject({ status: 'red_flag', level: 'critical', facts: { breathless: true } });
    expect(read('swelling', 'neck puffed up since the thyroid op and it is hard to breathe')).toMatchObject({ status: 'red_flag', level: 'critical' });
  });

  it.each([['swelling', 'what does swollen look like'], ['redness', "can't see, it's on my back"], ['wound_opening', 'no idea, the bandage is the dark sort'], ['drainage', "not sure how to check"]])('%s: "%s" is asked again', (id, text) => {
    expect(read(id, text).status).toBe('unclear');
  });
});
