/**
 * Who is ill, how old they are, what conditions they have, and context that is not a symptom.
 * Works on canonical clauses (text.ts); a negated mention ("not pregnant", "no blood thinners") does not count.
 */
import { lexicon } from './lexicon.js';
import { parseDuration } from './durations.js';
import { mayMatch, qualify, wordIndexAt, type Clause, type PreparedText } from './text.js';
import type { History, Subject } from '../triage/types.js';

const INFANT_WORDS = 'baby|infant|newborn|bub';
const CHILD_WORDS = 'son|daughter|kid|child|boy|girl|toddler|teen|teenager|grandson|granddaughter|nephew|niece|stepson|stepdaughter|little one|preschooler|kids|children';
const ADULT_WORDS = 'husband|wife|partner|mom|mother|dad|father|grandma|grandmother|grandpa|grandfather|nan|nana|nanna|nanny|gran|granny|grandad|granddad|papa|brother|sister|friend|boyfriend|girlfriend|roommate|neighbou?r|aunt|uncle|fiance|fiancee|spouse|mil|in law|grandparent|elderly parent|parent';
const SUBJECT = new RegExp(`(?:\\b(?:my|our|the|for my|his|her) |^ |\\| )(?:(\\d+(?:\\.\\d+)?) (day|week|month|year)s? old )?(?:little |baby |eldest |youngest |oldest |teenage |elderly |older |younger |new |newborn )?(${INFANT_WORDS}|${CHILD_WORDS}|${ADULT_WORDS})\\b(?! (?:cold|bug|virus|germs|flu|lurgy|illness)\\b)`);
const BARE_AGE_SUBJECT = /\bmy (\d+(?:\.\d+)?) (day|week|month|year)s?(?: old)?\b/;
/** "my baby 6 weeks", "dad 78", "son is 4 year": an age straight after the person. */
const AGE_AFTER_PERSON = new RegExp(`\\b(?:${INFANT_WORDS}|${CHILD_WORDS}|${ADULT_WORDS}),? (?:is |who is |aged |age )?(\\d{1,3}(?:\\.\\d+)?)(?: (day|week|month|year)s?)?\\b(?! (?:times|minutes?|hours?|percent|mg|kg|lbs|degrees|c|f)\\b)`);
const AGE_OLD = /\b(\d{1,3}(?:\.\d+)?) (day|week|month|year)s? old\b/;
const AGE_STATED = new RegExp(String.raw`\b(?:im|age|aged|hes|shes|he is|she is|(?:son|daughter|kid|child|baby|boy|girl|${ADULT_WORDS}) is|who is|whos|turning|turned) (\d{1,3})\b(?! (?:weeks?|days?|hours?|minutes?|percent|mg|times|pounds|lbs|kg|f|c|degrees|out|of|over|and a half weeks)\b)(?: (day|week|month|year)s?)?`);
const UNIT_YEARS: Record<string, number> = { day: 1 / 365, week: 7 / 365, month: 1 / 12, year: 1 };

export interface SubjectFound {
  subject: Subject;
  age?: number;
}

function ageFrom(value: string | undefined, unit: string | undefined): number | undefined {
  const amount = Number(value);
  if (!Number.isFinite(amount)) return undefined;
  const years = amount * (UNIT_YEARS[unit ?? 'year'] ?? 1);
  return years >= 0 && years <= 125 ? Math.round(years * 1000) / 1000 : undefined;
}

/** Who the message is about, and their age (text first, then the input's age). */
const SELF = /\b(i|im|ive|id|me|myself)\b/;
const THIRD_PERSON = /\b(he|hes|she|shes|him|his|her|they|theyre|them|their)\b/;

/**
 * Who is ill: the person named in the clauses that carry the symptoms, so "my kids have colds but im the one with a
 * fever" is about the writer. When those clauses name nobody, the whole message decides, as before.
 */
export function extractSubject(text: PreparedText, inputAge: number | undefined, pregnant: boolean, illClauses: readonly Clause[] = []): SubjectFound {
  // The writer says they are the one who is ill ("im the one with a fever"): others named elsewhere are context.
  const parts = illClauses.flatMap((clause) => clause.text.split(/ (?:but|though|although|however|whereas|while) /));
  const selfIll = parts.some((part) => SELF.test(part) && !SUBJECT.test(part) && !THIRD_PERSON.test(part) && /\b(with|have|has|got|feel|feeling|am|im|ive|my (head|chest|throat|back|stomach|belly|ear|eye|leg|arm|skin))\b/.test(part));
  if (selfIll && SUBJECT.test(text.all)) return selfWithAge(text, inputAge);
  const all = text.all.replace(/\b(had|have|having|gave birth to|delivered) (a|my|the|our) baby\b/g, 'gave birth');
  let subject: Subject = 'self';
  let age: number | undefined;
  const named = SUBJECT.exec(all);
  if (named) {
    const word = named[3] ?? '';
    age = ageFrom(named[1], named[2]);
    if (new RegExp(`^(${INFANT_WORDS})$`).test(word)) subject = pregnant && age === undefined ? 'self' : 'infant';
    else if (new RegExp(`^(${CHILD_WORDS})$`).test(word)) subject = 'child';
    else subject = 'other_adult';
    if (word === 'newborn' && age === undefined) age = 0.05;
  } else {
    const bare = BARE_AGE_SUBJECT.exec(all);
    if (bare) {
      age = ageFrom(bare[1], bare[2]);
      subject = 'child';
    }
  }
  if (age === undefined) {
    const old = AGE_OLD.exec(all) ?? AGE_AFTER_PERSON.exec(all) ?? AGE_STATED.exec(all);
    if (old) age = ageFrom(old[1], old[2]);
  }
  age ??= inputAge;
  if (age !== undefined && subject !== 'other_adult') {
    if (age < 1) subject = 'infant';
    else if (age < 18) subject = 'child';
    else if (subject === 'child' || subject === 'infant') subject = 'other_adult';
  }
  return age === undefined ? { subject } : { subject, age };
}

type HistoryFlag = Exclude<keyof History, 'pregnancyWeeks' | 'daysSinceSurgery'>;


function mentioned(clause: Clause, pattern: RegExp): boolean {
  const match = pattern.exec(clause.text);
  if (!match) return false;
  const start = wordIndexAt(clause, match.index);
  // Qualified by what follows the whole mention: "diabetes pump" names the condition, "pump" is part of it.
  const end = Math.max(start + 1, wordIndexAt(clause, match.index + match[0].trimEnd().length));
  return !qualify(clause, start, end).negated;
}

function selfWithAge(text: PreparedText, inputAge: number | undefined): SubjectFound {
  const stated = AGE_STATED.exec(text.all);
  const age = (stated ? ageFrom(stated[1], stated[2]) : undefined) ?? inputAge;
  return age === undefined ? { subject: 'self' } : { subject: age < 1 ? 'infant' : age < 18 ? 'child' : 'self', age };
}

/** Conditions mentioned (and not denied) anywhere in the message. */
export function extractHistory(text: PreparedText, now: Date): History {
  const history: History = {};
  const said = [...lexicon().history].filter(([, pattern]) => mayMatch(pattern, text.all));
  for (const clause of text.clauses) {
    for (const [key, pattern] of said) {
      const flag = key as HistoryFlag;
      if (history[flag] || !mentioned(clause, pattern)) continue;
      // "surgery 10 years ago" is history, not recent surgery; "surgery next week" has not happened yet.
      if (flag === 'recentSurgery' && /\b(years? ago|last year|next|upcoming|scheduled|going to have|tomorrow|before (my|the))\b/.test(clause.text)) continue;
      history[flag] = true;
      if (flag === 'recentSurgery') {
        const hours = /\b(?:post op day|pod|day) (\d+)\b(?! (?:weeks?|days?|hours?))/.exec(clause.text)?.[1] ?? parseDuration(clause.text, now);
        if (hours !== undefined) {
          const days = typeof hours === 'string' ? Number(hours) : Math.round(hours / 24);
          if (days > 90) history.recentSurgery = undefined;
          else history.daysSinceSurgery = days;
        }
      }
    }
    const weeks = /\b(\d{1,2}) (?:and a half )?weeks? (?:pregnant|along|gestation)\b|\bpregnant (?:with \w+ )?(?:at |about |almost )?(\d{1,2}) weeks\b|\bim (\d{1,2}) weeks\b/.exec(clause.text);
    const stated = Number(weeks?.[1] ?? weeks?.[2] ?? weeks?.[3]);
    if (weeks && stated >= 1 && stated <= 45) {
      history.pregnancyWeeks = stated;
      history.pregnant = true;
    }
  }
  if (history.chemotherapy) history.immunosuppressed = true;
  return history;
}


/** Context flags (see the `freeTextFlags` field of Findings). */
function contextSaid(clause: Clause, pattern: RegExp): boolean {
  const match = pattern.exec(clause.text);
  if (!match) return false;
  // Qualified as a whole: "breathing fine" is itself the context, so only what comes before it can deny it.
  const start = wordIndexAt(clause, match.index);
  const end = Math.max(start + 1, wordIndexAt(clause, match.index + match[0].length));
  return !qualify(clause, start, end, { triggersOnly: true }).negated;
}

export function extractFlags(text: PreparedText): string[] {
  const flags: string[] = [];
  for (const [flag, pattern] of lexicon().context) {
    if (!mayMatch(pattern, text.all)) continue;
    // "no coffee today" sets no caffeine flag: a denied context is no context.
    if (text.clauses.some((clause) => contextSaid(clause, pattern))) flags.push(flag);
  }
  return flags;
}
