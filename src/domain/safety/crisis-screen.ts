/**
 * The suicide risk screener, after the NIMH ASQ: four questions about the past weeks, then, if any answer is
 * yes, the acuity question ("are you having thoughts of killing yourself right now?"). The wording lives in
 * content/clinical/crisis.yaml; this file only reads answers and scores them. Pure.
 */
import { normalizeMessage, CLAUSE_BREAK } from './normalize.js';
import { crisisLanguage } from './crisis-lexicon.js';
import { detectCrisis } from './crisis.js';

/** One screener question, in the patient's language. */
export interface ScreenQuestion {
  id: string;
  ask: string;
}

/** What a screen finds (ASQ): acute positive, non-acute positive, or negative. */
export type ScreenResult = 'acute' | 'non_acute_positive' | 'negative';

/** The questions in order, the acuity question, and the prompt wording. */
export function screenQuestions(language = 'en'): { questions: readonly ScreenQuestion[]; acuity: ScreenQuestion; answerHint: string; retry: string } {
  const { screener } = crisisLanguage(language);
  return { questions: screener.questions, acuity: screener.acuity, answerHint: screener.answer_hint, retry: screener.retry };
}

/**
 * Reads a yes or no from a free-text answer, or `undefined` when it is neither (asked again once). The
 * longest listed phrase that starts the answer decides ("i have" is yes, "i have not" is no). Unsure
 * answers ("not sure", "sometimes", "no... well maybe") and a restated wish to die count as yes: ASQ
 * treats an unclear answer as a positive screen.
 */
export function readScreenAnswer(text: string, language = 'en'): 'yes' | 'no' | undefined {
  const compiled = crisisLanguage(language);
  const words = normalizeMessage(text.slice(0, 500), compiled.lexicon).tokens.map((token) => token.word);
  const first = words.indexOf(CLAUSE_BREAK) === -1 ? words : words.slice(0, words.indexOf(CLAUSE_BREAK));
  const starts = (phrase: readonly string[]): boolean => phrase.every((word, at) => first[at] === word);
  const longest = (phrases: readonly string[]): number =>
    Math.max(0, ...phrases.map(compiled.spell).filter(starts).map((phrase) => phrase.length));
  const yes = longest(compiled.screener.answers.yes);
  const no = longest(compiled.screener.answers.no);
  const hedged = compiled.screener.answers.hedges.map(compiled.spell).some((phrase) =>
    phrase.length > 0 && words.some((_, index) => phrase.every((word, at) => words[index + at] === word)));
  if (no > yes) return hedged ? 'yes' : 'no';
  if (yes > 0) return 'yes';
  return detectCrisis(text, language) ? 'yes' : undefined;
}

/**
 * Scores the screen (ASQ): yes to the acuity question is acute; any yes to questions 1-4 is a non-acute
 * positive; all no is negative.
 */
export function scoreScreen(answers: readonly ('yes' | 'no')[], acuity?: 'yes' | 'no'): ScreenResult {
  if (acuity === 'yes') return 'acute';
  return answers.includes('yes') ? 'non_acute_positive' : 'negative';
}
