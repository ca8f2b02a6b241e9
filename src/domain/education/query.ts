import { processTerm, tokenize } from './text.js';

/**
 * Query-time understanding of patient wording: synonyms, problem signals and dose questions.
 * Plain rules on purpose: they are what decide whether a patient is told to call, so they must be deterministic.
 */

/**
 * Patient words -> words the articles use. Applied to the question only; the articles keep their plain wording.
 * Keys are matched as whole words or phrases (lowercase, apostrophes removed).
 */
const SYNONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(incision|cut|scar|surgical site)s?\b/, 'wound incision'],
  [/\b(stitch|stitches|suture|sutures|staples?)\b/, 'stitches sutures staples'],
  [/\b(temp\w*|feverish|fevers?)\b/, 'fever temperature'],
  [/\b(forgot|forget|forgetting|missed|skipped)\b/, 'missed dose'],
  [/\b(side effects?|makes? me feel|reaction)\b/, 'side effects'],
  [/\b(leg|calf|thigh)\b.*\b(swell\w*|swollen|pain\w*|hurts?|sore|warm)\b|\b(swell\w*|swollen|pain\w*|hurts?|sore|warm)\b.*\b(leg|calf)\b/, 'blood clot leg'],
  [/\bbp\b|\bblood pressure\b|\bhypertension\b/, 'blood pressure'],
  [/\b(sugar|sugars|glucose|a1c)\b/, 'blood sugar glucose'],
  [/\b(meds|medicines?|medications?|pills?|tablets?|capsules?|prescriptions?|rx)\b/, 'medicine medication pills'],
  [/\b(throw(ing)? up|threw up|puk(e|ed|ing)|barf\w*|vomit\w*)\b/, 'vomit vomiting nausea'],
  [/\b(sick to my stomach|nauseous|queasy)\b/, 'nausea vomiting'],
  [/\b(poop\w*|bowel\w*|stool)\b/, 'bowel movement stool constipation'],
  [/\b(tylenol|paracetamol)\b/, 'acetaminophen'],
  [/\b(advil|motrin|aleve|nsaids?)\b/, 'ibuprofen naproxen nsaid'],
  [/\b(narcotics?|oxy\w*|percocet|norco|vicodin|hydrocodone)\b/, 'opioid'],
  [/\b(doses?|dosage|dosing|mg|milligrams?|max|maximum)\b/, 'dose'],
  [/\b(operation|procedure|op)s?\b/, 'surgery'],
  [/\b(bandage|gauze|dressing)s?\b/, 'dressing wound'],
  [/\b(pee|urine|peeing)\b/, 'pee'],
  [/\b(puffer|albuterol)\b/, 'inhaler'],
  [/\b(wet|soak(ed|ing)?|showers?|bath|baths|bathe|bathing)\b/, 'shower showering bathing'],
  [/\b(depressed|hopeless|suicidal|kill myself|anxious|panic)\b/, 'mental health depression anxiety 988'],
  [/\b(er|a&e|emergency room)\b/, 'emergency 911'],
  [/\b(doc|doctor|nurse|provider)\b/, 'care team'],
  [/\b(clot|dvt)s?\b/, 'blood clot'],
  [/\b(bruise[sd]?|black and blue)\b/, 'bruising swelling'],
  [/\b(swollen|puffy)\b/, 'swelling'],
  [/\b(kid|kids|child|children|baby|babies|toddler|son|daughter|infant|boy|girl|little one)\b/, 'children child'],
  [/\b(cant sleep|insomnia|awake at night)\b/, 'sleep'],
  [/\b(walk|walking|exercise|lift|lifting|drive|driving)\b/, 'activity'],
  [/\b(water|thirsty|dehydrated|dehydration)\b/, 'fluids dehydration'],
  [/\b(pillbox|pill box|organi[sz]er)\b/, 'pill organizer'],
  [/\b(throw(ing)? (\w+ )?(away|out)|dispos\w*|get(ting)? rid of)\b/, 'rid leftover drop box'],
  [/\b(take|check|measure|taking|checking|measuring) (my |your |his |her )?(blood pressure|bp|pressure)\b/, 'reading cuff monitor home'],
];

/** Words that say something is going wrong: we then always show the article's "when to call" advice. */
const PROBLEM_SIGNAL =
  /\b(red|redness|leak\w*|ooz\w*|pus|drain\w*|swell\w*|swollen|bleed\w*|blood(y)? (on|through|from)|fever\w*|temperature|hot|warm|smell\w*|open(ed|ing)?|worse|wors(en|ening)|getting bad|hurts? more|more pain|can(no)?t (breathe|keep|stop|sleep|pee)|short(ness)? of breath|dizzy|faint\w*|rash|hives|vomit\w*|throw(ing)? up|threw up|numb|numbness|tingl\w*|temp\w*|black|streak\w*)\b/;

/** How much / how many / extra doses: answered with general safety only, never with a number. */
const DOSING_PATTERNS: ReadonlyArray<RegExp> = [
  /\b\d+(\.\d+)?\s*(mg|mgs|milligrams?|mcg|ml|cc|units?|g|grams?)\b/,
  /\bhow (many|much)\b.*\b(mg|milligrams?|pills?|tablets?|capsules?|doses?|medicines?|meds|medication|tylenol|acetaminophen|advil|ibuprofen|motrin|aleve|naproxen|aspirin|insulin|oxy\w*|take|give)\b/,
  /\b(can|should|may|could) (i|he|she|we|they|my \w+) (take|have|give|use) (\d+|two|three|four|an? (extra|second|double)|another|more|extra|double)\b/,
  /\b(double|extra|bigger|higher|max(imum)?) (dose|dosage|pill|pills|amount)\b/,
  /\b(dose|dosage)\b.*\bfor (my|a|an) \w+/,
  /\bhow often can (i|he|she|we)\b/,
];

/**
 * The question's own meaningful words (stemmed), with the words a synonym rule or the subject vocabulary
 * recognised counted apart: a recognised phrase is health vocabulary by construction (and subject gating decides
 * whether the library covers it); the rest must be found in the articles.
 */
export function questionTerms(question: string, subjectPhrases: readonly string[] = []): { recognised: number; own: string[] } {
  let rest = normaliseQuestion(question);
  let recognised = 0;
  for (const [pattern] of SYNONYMS) {
    const global = new RegExp(pattern.source, 'g');
    if (global.test(rest)) {
      recognised += 1;
      rest = rest.replace(global, ' ');
    }
  }
  for (const phrase of subjectPhrases) {
    const words = new RegExp(`\\b${phrase.split(' ').map(escapeRegExp).join('\\W+')}\\b`, 'g');
    if (words.test(rest)) {
      recognised += 1;
      rest = rest.replace(words, ' ');
    }
  }
  // Bare numbers ("102", "4 days") are readings and counts, not topics: they neither help nor hurt coverage.
  const own = tokenize(rest)
    .filter((word) => !/^\d+$/.test(word))
    .flatMap((word) => processTerm(word) ?? []);
  return { recognised, own: [...new Set(own)] };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Lowercases and removes apostrophes so "can't" and "cant", "I'm" and "im" read the same. */
export function normaliseQuestion(question: string): string {
  return question.toLowerCase().replace(/['\u2019]/g, '').replace(/\s+/g, ' ').trim();
}

/** The question plus the article words its patient wording stands for (and `extraWords`, e.g. canonical subject names). */
export function expandQuestion(question: string, extraWords: readonly string[] = []): string {
  const normalised = normaliseQuestion(question);
  const additions = SYNONYMS.filter(([pattern]) => pattern.test(normalised)).map(([, words]) => words);
  return [normalised, ...additions, ...extraWords].join(' ');
}

/**
 * Asking what to do now, or a reading that is off ("my sugar is low", "bp is really high"): the patient has the
 * problem now, so the article's what-to-do and when-to-call sections belong in the answer.
 */
const ACTING_NOW = [
  /\bwhat (do|should|can|would) (i|we) do\b/,
  /\b(right now|at the moment|just now|currently)\b/,
  /\b(is|are|was|went|goes|dropped|drops|dropping|keeps? dropping|stays?|still|too|very|really|so|getting) (low|high)\b/,
];

/** True when the question reports a symptom getting worse or a sign of trouble, or asks what to do about it now. */
export function signalsProblem(question: string): boolean {
  const normalised = normaliseQuestion(question);
  return PROBLEM_SIGNAL.test(normalised) || ACTING_NOW.some((pattern) => pattern.test(normalised));
}

/** True when the question asks how much, how many or how often to take: a pharmacist's question, not ours. */
export function isDosingQuestion(question: string): boolean {
  const normalised = normaliseQuestion(question);
  return DOSING_PATTERNS.some((pattern) => pattern.test(normalised));
}
