import { describe, expect, it } from 'vitest';
import { detectCrisis } from '../../src/domain/safety/crisis.js';
import { detectEmergencies, detectEmergency } from '../../src/domain/safety/emergency.js';
import { triage } from '../../src/domain/triage/engine.js';
import { NEGATIVES, POSITIVES } from '../fixtures/emergency-messages.js';

/**
 * Published criteria where the team's early messages asked for more than the protocols give. The NHS sends
 * someone coughing up blood, short of breath, or with double vision, and nothing else said, to an urgent same-day
 * assessment (NHS "Coughing up blood", "Shortness of breath", "Double vision"); 999 only with more (a lot of blood,
 * struggling to breathe, blue lips, sudden onset, weakness or slurred speech). The symptom check answers urgent.
 */
const URGENT_BY_CRITERIA = new Set(['coughing blood', 'coughing up blood', 'short of breath', 'shortness of breath', 'very sob', 's.o.b.', 'double vision']);

/** A passive wish to die runs the crisis screener (NIMH ASQ), which asks about intent now; it is not an interrupt. */
const passive = (text: string): boolean => detectCrisis(text)?.level === 'passive';
const all = Object.entries(POSITIVES).flatMap(([kind, texts]) => texts.filter((text) => !URGENT_BY_CRITERIA.has(text)).map((text) => [text, kind] as const));
const positives = all.filter(([text]) => !passive(text));
const screened = all.filter(([text]) => passive(text));
const negatives = Object.entries(NEGATIVES).flatMap(([reason, texts]) => texts.map((text) => [text, reason] as const));

describe('the safety net (the triage engine as the interrupt before every dialog)', () => {
  it.each(positives)('%j raises an emergency (%s)', (text) => {
    expect(detectEmergency(text)).toBeDefined();
  });

  it.each(screened)('%j is a passive wish: the screener asks, no emergency interrupt (%s)', (text) => {
    expect(detectEmergency(text)).toBeUndefined();
  });

  it.each(negatives)('%j raises none (%s)', (text) => {
    expect(detectEmergency(text)).toBeUndefined();
  });

  it.each([...URGENT_BY_CRITERIA])('%j is urgent by its published criterion, not an interrupt', (text) => {
    expect(detectEmergency(text)).toBeUndefined();
    expect(triage({ text }).level).toBe('urgent');
  });

  it('always agrees with the symptom check: an interrupt exactly when triage answers emergency', () => {
    for (const [text] of [...positives, ...negatives]) expect(detectEmergency(text) !== undefined, text).toBe(triage({ text }).level === 'emergency');
  });

  it('names what it found with a few words, never the whole message', () => {
    const [match] = detectEmergencies('Hi this is Maria Lopez, DOB 3/4/1961, my chest hurts really bad since 5am');
    expect(match?.phrase.length).toBeGreaterThan(0);
    expect(match?.phrase).not.toMatch(/maria|lopez|1961/i);
  });

  it('answers a question about emergencies instead of treating it as one', () => {
    for (const text of ['when should i call 911 after surgery?', 'what are the signs of a stroke?', 'how do i know if my incision is infected']) {
      expect(detectEmergency(text), text).toBeUndefined();
    }
  });
});
