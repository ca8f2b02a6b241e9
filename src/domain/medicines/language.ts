/**
 * The small language layer the medicine engine needs: canonical words in clauses, phrase lookup, and local
 * "stopped" and hypothetical scope. Negation and normal findings come from the shared language layer
 * (src/domain/language/text.ts), the same scope triage and the safety net use. Spelling reuses the safety normaliser, so SMS shorthand and typos read as they do in emergency
 * detection.
 */
import { qualifyWords } from '../language/text.js';
import { CLAUSE_BREAK, buildLexicon, normalizeMessage } from '../safety/normalize.js';

/** Medicine questions are short; the cap bounds work on pasted text (every step below is linear in it). */
export const MAX_ANALYSED_CHARS = 4_000;

/** A message as clauses, each a list of canonical words. */
export type Clauses = string[][];

/** Reads patient text (and table phrases) into canonical words with one shared spelling. */
export interface TextReader {
  read(text: string): Clauses;
  /** One table phrase as canonical words (clause breaks ignored). */
  phrase(text: string): string[];
  /** Whether a word is one the table or the engine knows, so it is never taken for an unlisted medicine. */
  isKnownWord(word: string): boolean;
}

/** Words the engine itself reads, kept as typed so the fuzzy speller never "corrects" them into a medicine. */
const ENGINE_WORDS = [
  'no', 'not', 'never', 'without', 'denies', 'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'havent', 'hasnt',
  'im', 'ive', 'am', 'is', 'are', 'was', 'on', 'off', 'take', 'taking', 'took', 'taken', 'with', 'and', 'or', 'but',
  'if', 'can', 'could', 'should', 'safe', 'okay', 'while', 'stopped', 'stop', 'quit', 'finished', 'longer', 'used',
  'came', 'ran', 'out', 'my', 'the', 'a', 'an', 'of', 'to', 'it', 'this', 'that', 'these', 'what', 'how', 'much',
  'many', 'dose', 'dosage', 'medicine', 'medication', 'tablet', 'tablets', 'pill', 'pills', 'pharmacist', 'doctor',
  'morning', 'evening', 'because', 'between', 'before', 'breathing', 'pressure', 'prescription', 'prescribed',
  'migraine', 'infection', 'depression', 'anxiety', 'diabetes', 'epilepsy', 'cholesterol', 'arthritis', 'antibiotic',
  'antibiotics', 'painkiller', 'painkillers', 'together', 'anything', 'something', 'everything', 'question',
  // English words one or two edits from a generic name ("morphing" / morphine).
  'morphing',
];

/** Builds the reader from the table's vocabulary; `fuzzyTargets` are long, distinctive names that absorb typos. */
export function createTextReader(vocabulary: { known: Iterable<string>; fuzzyTargets: readonly string[] }): TextReader {
  const lexicon = buildLexicon({ known: [...ENGINE_WORDS, ...vocabulary.known], fuzzyTargets: vocabulary.fuzzyTargets });
  const read = (text: string): Clauses => {
    // "St. John's wort": the abbreviation's dot is not a sentence end.
    const bounded = text.slice(0, MAX_ANALYSED_CHARS).replace(/\bst\.\s*/gi, 'st ');
    const clauses: Clauses = [[]];
    for (const token of normalizeMessage(bounded, lexicon).tokens) {
      if (token.word === CLAUSE_BREAK) clauses.push([]);
      else clauses[clauses.length - 1]!.push(token.word);
    }
    return clauses.filter((clause) => clause.length > 0);
  };
  return {
    read,
    phrase: (text) => read(text).flat(),
    isKnownWord: (word) => lexicon.known.has(word) || lexicon.variants.has(word),
  };
}

/** Phrases (as canonical words) mapped to values, looked up at a word position. */
export interface PhraseIndex<T> {
  byKey: Map<string, T[]>;
  longest: number;
}

export function createPhraseIndex<T>(): PhraseIndex<T> {
  return { byKey: new Map(), longest: 1 };
}

export function addPhrase<T>(index: PhraseIndex<T>, words: readonly string[], value: T): void {
  if (words.length === 0) return;
  const key = words.join(' ');
  const values = index.byKey.get(key) ?? [];
  if (!values.includes(value)) values.push(value);
  index.byKey.set(key, values);
  index.longest = Math.max(index.longest, words.length);
}

/** Every phrase starting at `start`, longest first. */
export function phrasesAt<T>(index: PhraseIndex<T>, words: readonly string[], start: number): { length: number; values: T[] }[] {
  const found: { length: number; values: T[] }[] = [];
  for (let length = Math.min(index.longest, words.length - start); length >= 1; length--) {
    const values = index.byKey.get(words.slice(start, start + length).join(' '));
    if (values) found.push({ length, values });
  }
  return found;
}

/** Said before a medicine: the patient took it but no longer does; still relevant for pregnancy and levels. */
const STOPPED_BEFORE = /\b(stopped|stopping|quit|finished|discontinued|no longer|used to|came off|come off|ran out|run out)\b/;
const STOPPED_AFTER = /^(was |is |got |has been |been )?(stopped|discontinued|finished)\b/;
/** Said right after a medicine, these ask about it ("eliquis ok?", "is warfarin fine"), never deny it. */
const ASKED_SAFE_AFTER = /^(is |are |still |be )?(ok|okay|fine|alright|safe|good)\b/;
/** A sign asked about, not reported ("what happens if I take too much", "can lithium cause tremor"). */
const HYPOTHETICAL = /\b(if|whether|what happens|how much|how many|can i|could i|should i|is it ok|is it safe|am i allowed|cause|causes|side effects?|signs of|symptoms of|risk of|what are|in case)\b/g;
/** After a question word, these say it happened ("what should I do, I took too many"): reported, not asked. */
const REPORTED = /\b(took|taken|had|swallowed|accidentally|already|been taking|ive|im)\b/;

/** The few words before `start` in its clause, for "stopped" and "no longer". */
function scopeBefore(words: readonly string[], start: number, reach = 5): string[] {
  return words.slice(Math.max(0, start - reach), start);
}

/** Whether words `[start, end)` are denied ("no fever", "not pregnant") or said to be over ("the shaking stopped"). */
export function isNegated(words: readonly string[], start: number, end: number): boolean {
  if (STOPPED_BEFORE.test(scopeBefore(words, start).join(' '))) return true;
  return qualifyWords(words, start, end, { hypotheticalCounts: true }).negated;
}

/** How a medicine named at `[start, end)` is held: taken now, denied ("I'm not on warfarin"), or stopped. */
export function medicineStatus(words: readonly string[], start: number, end: number): 'current' | 'negated' | 'stopped' {
  const scope = scopeBefore(words, start);
  const after = words.slice(end, end + 3).join(' ');
  if (STOPPED_BEFORE.test(scope.join(' ')) || STOPPED_AFTER.test(after)) return 'stopped';
  // "with my apixaban ok?" asks whether it is safe; the shared "normal finding" reading would deny the medicine.
  const scoped = ASKED_SAFE_AFTER.test(after) ? words.slice(0, end) : words;
  return qualifyWords(scoped, start, end, { hypotheticalCounts: true }).negated ? 'negated' : 'current';
}

/** Whether a sign at `start` is asked about rather than reported. */
export function isHypothetical(words: readonly string[], start: number): boolean {
  const lead = words.slice(Math.max(0, start - 8), start).join(' ');
  const last = [...lead.matchAll(HYPOTHETICAL)].pop();
  // Missing a real overdose is worse than answering a question as if it were one.
  return last !== undefined && !REPORTED.test(lead.slice(last.index + last[0].length));
}

/** Whether one of `blockers` follows within `reach` words of `end` ("drink" + "water"). */
export function followedByAny(words: readonly string[], end: number, blockers: ReadonlySet<string>, reach = 3): boolean {
  return words.slice(end, end + reach).some((word) => blockers.has(word));
}
