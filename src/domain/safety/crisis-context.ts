/**
 * What the words around a crisis phrase say about it (NegEx and ConText, simplified, after Chapman et al. 2001
 * and Harkema et al. 2009): denied ("i'm not suicidal"), over ("years ago", "not anymore"), or asked about in
 * general ("what are the warning signs of suicide in teens"). The word lists come from the crisis file, per
 * language. When in doubt these answer "no", so the phrase still counts: a missed crisis costs more than a
 * false alarm.
 */
import { CLAUSE_BREAK } from './normalize.js';
import type { ContextList, CrisisLanguage } from './crisis-lexicon.js';

/** How far back a negation reaches ("i have never really thought about killing myself"). */
const NEGATION_WINDOW = 6;
/** How far after the match an "it's over" phrase is looked for. */
const POST_WINDOW = 8;

/** The clause around words `[start, end)`: bounded by clause breaks. */
export function clauseBounds(words: readonly string[], start: number, end: number): [number, number] {
  let first = start;
  while (first > 0 && words[first - 1] !== CLAUSE_BREAK) first--;
  let last = end;
  while (last < words.length && words[last] !== CLAUSE_BREAK) last++;
  return [first, last];
}

/** Canonical text of words `[from, to)`, in the form the compiled lists test ("a b c "). */
export function textOf(words: readonly string[], from: number, to: number): string {
  return `${words.slice(from, to).join(' ')} `;
}

/** The entry of a list that covers word `index` (one word, or a phrase running through it), if any. */
function entryAt(language: CrisisLanguage, list: ContextList, words: readonly string[], index: number): readonly string[] | undefined {
  if (language.words[list].has(words[index] ?? '')) return [words[index]!];
  return language.phrases[list].find((phrase) =>
    phrase.some((_, offset) => phrase.every((word, at) => words[index - offset + at] === word)));
}

/** The entry of a list that starts at word `index`, longest first. */
export function entryStarting(language: CrisisLanguage, list: ContextList, words: readonly string[], index: number): readonly string[] | undefined {
  const phrases = language.phrases[list].filter((phrase) => phrase.every((word, at) => words[index + at] === word));
  const longest = phrases.sort((a, b) => b.length - a.length)[0];
  return longest ?? (language.words[list].has(words[index] ?? '') ? [words[index]!] : undefined);
}

/** Denied before the match ("never thought of killing myself"), or after it ("suicidal thoughts? no"). */
export function isNegated(language: CrisisLanguage, words: readonly string[], start: number, end: number): boolean {
  for (let index = start - 1; index >= 0 && index >= start - NEGATION_WINDOW; index--) {
    const word = words[index] ?? CLAUSE_BREAK;
    if (word === CLAUSE_BREAK) break;
    // "can't stop thinking about killing myself", "trying not to cut": the negation word means the opposite here.
    if (entryAt(language, 'pseudo_negation', words, index)) continue;
    if (index === start - 1 && language.words.adjacent_negation.has(word)) return true;
    if (entryAt(language, 'negation', words, index)) return true;
    if (language.words.subject_breaker.has(word)) break;
  }
  // After a statement that is itself negative ("i don't want to live, not anymore"), a "no" agrees with it.
  if (words.slice(start, end).some((word) => language.words.negation.has(word))) return false;
  // A form-style answer closing the clause or just after it: "suicidal thoughts? no", "self harm - never".
  const [, last] = clauseBounds(words, start, end);
  for (const answer of [end, last + 1]) {
    if (answer > last + 1 || (answer === end && end === last)) continue;
    const no = entryStarting(language, 'answer_no', words, answer);
    if (no && (words[answer + no.length] ?? CLAUSE_BREAK) === CLAUSE_BREAK && (answer === end || last - end <= 2)) return true;
  }
  // "my doctor asked about thoughts of suicide and i said no".
  for (let index = end; index < words.length && index < end + POST_WINDOW; index++) {
    if (entryStarting(language, 'reported_denial', words, index)) return true;
  }
  // "i used to cut, not anymore": an "it's over" phrase that ends its clause, within a few words.
  for (let index = end; index < words.length && index < end + POST_WINDOW; index++) {
    const over = entryStarting(language, 'post_negation', words, index);
    if (over && (words[index + over.length] ?? CLAUSE_BREAK) === CLAUSE_BREAK) return true;
  }
  return false;
}

/** Dated in the past ("tried to kill myself in 2015", "used to cut") and not said to be back or happening now. */
export function isHistorical(language: CrisisLanguage, words: readonly string[], start: number, end: number): boolean {
  const [first, last] = clauseBounds(words, start, end);
  if (!language.has.history.test(textOf(words, first, last))) return false;
  return !language.has.present.test(textOf(words, 0, words.length));
}

/** Whose experience a match is: the patient's, someone in particular's, people in general, "you", or not said. */
export type Experiencer = 'self' | 'other' | 'generic' | 'you' | 'none';

/** The nearest person word at or before the match's end, in its clause ("my dad says he'd be better off dead": other). */
export function experiencer(language: CrisisLanguage, words: readonly string[], start: number, end: number): Experiencer {
  const [first] = clauseBounds(words, start, end);
  let they = false;
  for (let index = end - 1; index >= first; index--) {
    const word = words[index] ?? '';
    // "my son told me they feel suicidal": after "they", "me" only heard it; keep looking for who "they" is.
    if (language.words.person_self.has(word)) {
      if (they) continue;
      return 'self';
    }
    if (language.words.person_specific.has(word)) return 'other';
    if (language.words.relative.has(word)) return language.words.possessive.has(words[index - 1] ?? '') ? 'other' : 'generic';
    if (language.words.person_generic.has(word)) return 'generic';
    if (language.words.person_you.has(word)) return 'you';
    // "they" may be one person named earlier ("my kid says they want to ..."): look further back first.
    they ||= language.words.person_they.has(word);
  }
  return they ? 'generic' : 'none';
}

/**
 * About people in general, not anyone in particular: "many of my patients are ready to die", "people who hurt
 * themselves need help". "You" is not counted: "some days you just want to die" is often the patient's own.
 */
export function isAboutPeopleInGeneral(language: CrisisLanguage, words: readonly string[], start: number, end: number): boolean {
  return experiencer(language, words, start, end) === 'generic';
}

/**
 * A question about the topic, not a report: "what are the warning signs of suicide in teens", "why do people
 * hurt themselves". Never when someone in particular is named ("my son is suicidal, what do I do") or the
 * patient sounds worried about themselves ("is it normal to feel suicidal on this?").
 */
export function isEducational(language: CrisisLanguage, words: readonly string[], start: number, end: number): boolean {
  const [first, last] = clauseBounds(words, start, end);
  const clause = textOf(words, first, last);
  if (language.has.concern.test(clause)) return false;
  const who = experiencer(language, words, start, end);
  if (who === 'self' || who === 'other') return false;
  if (language.has.education.test(textOf(words, first, start))) return true;
  // "why do people hurt themselves", "how do you know if you're suicidal": a question about people in general.
  // With no one named at all ("what's the point of living"), a question form alone is not enough.
  return (who === 'generic' || who === 'you') && entryStarting(language, 'question_start', words, first) !== undefined;
}
