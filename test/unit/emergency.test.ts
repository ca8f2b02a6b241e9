import { describe, expect, it } from 'vitest';
import { EMERGENCY_KINDS, detectEmergencies, detectEmergency } from '../../src/domain/safety/emergency-words.js';
import { foldText, splitWords } from '../../src/domain/safety/normalize.js';
import { NEGATIVES, POSITIVES } from '../fixtures/emergency-messages.js';

const positiveCases = Object.entries(POSITIVES).flatMap(([kind, texts]) => texts.map((text) => [text, kind] as const));
const negativeCases = Object.entries(NEGATIVES).flatMap(([reason, texts]) => texts.map((text) => [text, reason] as const));

describe('detectEmergency', () => {
  it('covers every kind with positive cases, and has enough cases overall', () => {
    for (const kind of EMERGENCY_KINDS) expect(POSITIVES[kind].length).toBeGreaterThan(0);
    expect(positiveCases.length + negativeCases.length).toBeGreaterThanOrEqual(120);
  });

  it.each(positiveCases)('%j is %s', (text, kind) => {
    expect(detectEmergency(text)?.kind).toBe(kind);
  });

  it.each(negativeCases)('%j is not an emergency (%s)', (text) => {
    expect(detectEmergency(text)).toBeUndefined();
  });

  it.each([
    ['', undefined],
    ['   ', undefined],
    ['😭😭😭', undefined],
    ['?!', undefined],
  ])('%j is not an emergency', (text, expected) => {
    expect(detectEmergency(text)).toBe(expected);
  });
});

describe('the matched phrase', () => {
  it('holds only the words that matched, never the rest of the message', () => {
    const match = detectEmergency('Hi this is Maria Lopez, DOB 3/4/1961, my chest hurts really bad since 5am');
    expect(match).toEqual({ kind: 'cardiac', phrase: 'chest hurts' });
  });

  it.each([
    ['I can’t breathe!!', 'cant breathe'],
    ['i od\'d on my pills', 'overdosed'],
    ['my incision is bleeding alot', 'bleeding alot'],
    ['heeelp my tounge is swelling', 'tounge is swelling'],
  ])('%j matched as %j (normalised, as the patient wrote it)', (text, phrase) => {
    expect(detectEmergency(text)?.phrase).toBe(phrase);
  });
});

describe('detectEmergencies', () => {
  it('reports every kind found, most specific first', () => {
    const kinds = detectEmergencies('I took the whole bottle, I want to die and I cant breathe').map((match) => match.kind);
    expect(kinds).toEqual(['overdose', 'suicide', 'breathing']);
  });

  it('puts the cause before the symptom it brings', () => {
    expect(detectEmergencies('my throat is closing and i cant breathe').map((match) => match.kind)).toEqual(['anaphylaxis', 'breathing']);
  });

  it('finds an emergency after a negated clause, and ignores the negated one', () => {
    expect(detectEmergencies('no chest pain, but the bleeding wont stop')).toEqual([{ kind: 'bleeding', phrase: 'bleeding wont stop' }]);
  });

  it('is empty for an ordinary reply', () => {
    expect(detectEmergencies('taken, thanks')).toEqual([]);
  });

  it('finds nothing in a very long ordinary message', () => {
    const long = `${'my appointment is tomorrow and I have a question about parking. '.repeat(200)}`;
    expect(detectEmergency(long)).toBeUndefined();
  });
});

describe('text folding', () => {
  it('lower-cases, strips accents and unifies curly apostrophes', () => {
    expect(foldText('CAN’T Respirar Corazón')).toBe("can't respirar corazon");
  });

  it('reads "od\'d" before its apostrophe goes', () => {
    expect(splitWords(foldText("He OD'd"))).toEqual(['he', 'overdosed']);
  });

  it('keeps clause breaks and drops apostrophes inside words', () => {
    expect(splitWords(foldText("no fever, but I can't breathe..."))).toEqual(['no', 'fever', '|', 'but', 'i', 'cant', 'breathe']);
  });

  it('reads a pain score as one clause', () => {
    expect(splitWords(foldText('pain 9/10'))).toEqual(['pain', '9', 'of', '10']);
  });
});
