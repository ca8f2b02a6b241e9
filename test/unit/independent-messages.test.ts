import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EducationService } from '../../src/domain/education/ask.js';
import { loadLibrary } from '../../src/domain/education/library.js';
import { answerMedicineQuestion, containsDose } from '../../src/domain/medicines/index.js';
import { detectCrisis } from '../../src/domain/safety/crisis.js';
import { detectEmergency } from '../../src/domain/safety/emergency.js';

/**
 * Messages written by a helper who read none of the rules (test/fixtures/independent-messages.json); their first
 * run is in test/eval/CHANGELOG.md. Crisis and emergency wording, medicine questions and education questions.
 */
interface Fixture {
  crisis: Record<'intent_with_plan' | 'means_at_hand' | 'lethal_amount_question' | 'self_harm_in_progress' | 'passive_wish' | 'figures_of_speech' | 'ordinary_short', string[]>;
  medicine: {
    pregnancy_avoid: { text: string; drug: string }[];
    alcohol_metronidazole: string[];
    interaction_questions: { text: string; drugs: string[] }[];
    toxicity_emergency: { text: string; syndrome: string }[];
    dose_questions: string[];
  };
  education: { answerable: { text: string; article: string }[]; unanswerable: string[]; emergency_questions: string[] };
}

const fixture = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/independent-messages.json'), 'utf8')) as Fixture;
const active = [...fixture.crisis.intent_with_plan, ...fixture.crisis.means_at_hand, ...fixture.crisis.lethal_amount_question, ...fixture.crisis.self_harm_in_progress];

describe('independent crisis messages', () => {
  it.each(active)('%j is a crisis now', (text) => {
    expect(detectCrisis(text)?.level).toBe('active');
  });

  it.each(fixture.crisis.passive_wish)('%j is read as a wish to die (the screener asks), never ignored', (text) => {
    expect(detectCrisis(text)).toBeDefined();
  });

  it.each([...fixture.crisis.figures_of_speech, ...fixture.crisis.ordinary_short])('%j is ordinary', (text) => {
    expect(detectCrisis(text)).toBeUndefined();
    expect(detectEmergency(text)).toBeUndefined();
  });
});

describe('independent medicine questions', () => {
  it.each(fixture.medicine.pregnancy_avoid)('$text: avoid, and contact the prescriber', ({ text }) => {
    const answer = answerMedicineQuestion(text);
    expect(answer?.kind).toBe('avoid');
    expect(answer?.lines.join(' ')).toMatch(/prescriber|doctor|midwife/i);
  });

  it.each(fixture.medicine.alcohol_metronidazole)('%j: a clear warning about alcohol', (text) => {
    const answer = answerMedicineQuestion(text);
    expect(answer?.kind).toBe('warn');
    expect(answer?.lines.join(' ')).toMatch(/alcohol|drink/i);
  });

  it.each(fixture.medicine.interaction_questions)('$text: a warning', ({ text }) => {
    expect(['warn', 'avoid']).toContain(answerMedicineQuestion(text)?.kind);
  });

  it.each(fixture.medicine.toxicity_emergency)('$text ($syndrome): an emergency, in the answer and in the safety net', ({ text }) => {
    expect(answerMedicineQuestion(text)?.kind).toBe('emergency');
    expect(detectEmergency(text)).toBeDefined();
  });

  it('never answers with a dose number', () => {
    const questions = [...fixture.medicine.dose_questions, ...fixture.medicine.pregnancy_avoid.map((c) => c.text), ...fixture.medicine.interaction_questions.map((c) => c.text), ...fixture.medicine.toxicity_emergency.map((c) => c.text)];
    for (const text of questions) expect(containsDose((answerMedicineQuestion(text)?.lines ?? []).join(' ')), text).toBe(false);
  });
});

describe('independent education questions', () => {
  const library = loadLibrary();
  const education = new EducationService({ library, medicines: null });
  const titleOf = (id: string): string => library.articles.find((article) => article.id === id)?.title ?? `missing article ${id}`;

  // Measured, not tuned to pass: the first run and today's figures are in test/eval/CHANGELOG.md. These floors are
  // today's figures, so a change that answers fewer of them, or answers what the library does not cover, fails.
  it('answers at least 17 of the 20 answerable questions from the right article, cited', async () => {
    let right = 0;
    for (const { text, article } of fixture.education.answerable) {
      const reply = (await education.ask(text)).join('\n');
      if (reply.includes(`"${titleOf(article)}"`) && !/I don.t know/.test(reply)) right++;
    }
    expect(right).toBeGreaterThanOrEqual(17);
  });

  it('says "I don\'t know" to at least 19 of the 20 questions the library cannot answer', async () => {
    let unknown = 0;
    for (const text of fixture.education.unanswerable) if (/I don.t know/.test((await education.ask(text)).join('\n'))) unknown++;
    expect(unknown).toBeGreaterThanOrEqual(19);
  });

  it.each(fixture.education.emergency_questions)('%j: a question about emergencies is not treated as one', (text) => {
    expect(detectEmergency(text)).toBeUndefined();
  });
});
