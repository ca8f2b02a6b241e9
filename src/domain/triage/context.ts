/**
 * Who is ill, how old they are, what conditions they have, and context that is not a symptom.
 * Works on canonical clauses (text.ts); a negated mention ("not pregnant", "no blood thinners") does not count.
 */
import { parseDuration } from './durations.js';
import { qualify, wordIndexAt, type Clause, type PreparedText } from './text.js';
import type { History, Subject } from './types.js';

const INFANT_WORDS = 'baby|infant|newborn|bub';
const CHILD_WORDS = 'son|daughter|kid|child|boy|girl|toddler|teen|teenager|grandson|granddaughter|nephew|niece|stepson|stepdaughter|little one|preschooler|kids|children';
const ADULT_WORDS = 'husband|wife|partner|mom|mother|dad|father|grandma|grandmother|grandpa|grandfather|brother|sister|friend|boyfriend|girlfriend|roommate|neighbou?r|aunt|uncle|fiance|fiancee|spouse|mil|in law|grandparent|elderly parent|parent';
const SUBJECT = new RegExp(`\\b(?:my|our|the|for my|his|her) (?:(\\d+(?:\\.\\d+)?) (day|week|month|year)s? old )?(?:little |baby |eldest |youngest |oldest |teenage |elderly |older |younger |new |newborn )?(${INFANT_WORDS}|${CHILD_WORDS}|${ADULT_WORDS})\\b`);
const BARE_AGE_SUBJECT = /\bmy (\d+(?:\.\d+)?) (day|week|month|year)s?(?: old)?\b/;
const AGE_OLD = /\b(\d{1,3}(?:\.\d+)?) (day|week|month|year)s? old\b/;
const AGE_STATED = /\b(?:im|age|aged|hes|shes|he is|she is|(?:son|daughter|kid|child|baby|boy|girl) is|who is|whos|turning|turned) (\d{1,3})\b(?! (?:weeks?|days?|hours?|minutes?|percent|mg|times|pounds|lbs|kg|f|c|degrees|out|of|over|and a half weeks)\b)(?: (day|week|month|year)s?)?/;
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
export function extractSubject(text: PreparedText, inputAge: number | undefined, pregnant: boolean): SubjectFound {
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
    const old = AGE_OLD.exec(all) ?? AGE_STATED.exec(all);
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

const HISTORY_PATTERNS: [HistoryFlag, RegExp][] = [
  ['pregnant', /\b(pregnant|pregnancy|expecting (a baby|twins)|weeks along|trimester|gestation|prenatal|antenatal|midwife)\b/],
  ['postpartum', /\b(postpartum|post partum|gave birth|delivered|c section|after (giving )?birth|after delivery|just had a baby)\b/],
  ['recentSurgery', /\b((appendix|gallbladder|tonsils|uterus|womb|ovary|ovaries|spleen|kidney|thyroid|tumou?r|lump|wisdom teeth|cyst|prostate) (\w+ )?(out|removed|taken out)|surgery|operation|operated|post op|procedure|incision|staples|\w+ectomy|\w+otomy|\w+oscopy|(knee|hip|shoulder) replacement|hernia repair|c section|discharged from (the )?hospital|op site|surgical)\b/],
  ['asthma', /\b(asthma\w*|inhaler|puffer|nebuli[sz]er)\b/],
  ['copd', /\b(copd|emphysema|chronic bronchitis|home oxygen|home o2)\b/],
  ['heartDisease', /\b(heart (disease|failure|condition|problems?|attack|attacks|surgery|stent|valve)|cardiac (history|disease)|stents?|bypass|atrial fibrillation|pacemaker|cardiomyopathy|coronary)\b/],
  ['diabetes', /\b(diabet\w*|type (1|2|one|two) diabetes|insulin|metformin|ozempic|glucose meter|blood sugar|sugar levels?)\b/],
  ['immunosuppressed', /\b(chemo\w*|transplant|immunosuppress\w*|immune ?compromised|immunocompromised|steroids|prednisone|prednisolone|dexamethasone|methotrexate|biologics?|humira|neutropeni\w*|hiv|cancer treatment|radiation therapy|rituximab|splenectomy|no spleen)\b/],
  ['chemotherapy', /\b(chemo\w*|cancer treatment|neutropeni\w*)\b/],
  ['anticoagulated', /\b(warfarin|eliquis|xarelto|pradaxa|dabigatran|savaysa|edoxaban|lovenox|enoxaparin|heparin|blood thinner\w*|anticoag\w*|clopidogrel|plavix|brilinta|ticagrelor)\b/],
  ['kidneyDisease', /\b(kidney (disease|failure|problems|transplant)|kidney disease|dialysis|renal failure|one kidney)\b/],
];

function mentioned(clause: Clause, pattern: RegExp): boolean {
  const match = pattern.exec(clause.text);
  if (!match) return false;
  const start = wordIndexAt(clause, match.index);
  return !qualify(clause, start, start + 1).negated;
}

/** Conditions mentioned (and not denied) anywhere in the message. */
export function extractHistory(text: PreparedText, now: Date): History {
  const history: History = {};
  for (const clause of text.clauses) {
    for (const [flag, pattern] of HISTORY_PATTERNS) {
      if (history[flag] || !mentioned(clause, pattern)) continue;
      // "surgery 10 years ago" is history, not recent surgery; "surgery next week" has not happened yet.
      if (flag === 'recentSurgery' && /\b(years? ago|last year|next|upcoming|scheduled|going to have|tomorrow|before (my|the))\b/.test(clause.text)) continue;
      history[flag] = true;
      if (flag === 'recentSurgery') {
        const hours = /\bpost op day (\d+)\b/.exec(clause.text)?.[1] ?? parseDuration(clause.text, now);
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

const FLAG_PATTERNS: [string, RegExp][] = [
  ['worsening', /\b(more than usual|worse than usual|getting worse|gotten worse|worse|worsening|spreading|getting bigger|increasing|more and more)\b/],
  ['not_improving', /\b(not (getting )?better|not improving|no better|hasnt (gone|improved|got better)|wont go away|keeps coming back|not going away|still (\w+ )?(there|here|going|bad|hurting|have))\b/],
  ['sudden_onset', /\b(sudden\w*|all of a sudden|out of nowhere|came on (fast|quickly))\b/],
  ['exertional', /\b(when i (walk|climb|exercise|exert)|climbing|stairs|on exertion|walking up|with exercise|with activity|when walking)\b/],
  ['reproducible', /\b(when i press|press on|pressing on|touch it|to (the )?touch|when i (breathe|cough|move|twist|turn|take a deep)|deep breaths?|tender)\b/],
  ['recent_travel', /\b(long (flight|drive|trip|car ride)|flew|flight|plane)\b/],
  ['allergen_exposure', /\b(peanuts?|nuts|shellfish|shrimp|bee|wasp|sting|stung|penicillin|amoxicillin|latex|allerg\w*|new (medicine|medication|food)|ate something)\b/],
  ['intentional', /\b(on purpose|to (die|end it|kill)|intentional\w*|wanted to die|want to die)\b/],
  ['mild', /\b(mild|minor|slight\w*|a little|a bit|not too bad|not that bad|manageable|small)\b/],
  ['well_otherwise', /(?<!\b(?:not|isnt|wont|arent|cant|no|barely|stopped) )\b(otherwise (fine|well|ok|healthy|good)|(eating|drinking|playing|feeding|acting|peeing) (fine|ok|normally|normal|well|good)|(eating|feeding) and drinking (fine|ok|normally|well)|still (eating|drinking|playing|feeding)|active and playing|running around)\b/],
  ['resolved', /\b(fine now|better now|ok now|okay now|back to normal|came back up|resolved|gone now|went away|stopped after)\b/],
  ['breathing_ok', /\b(breathing (is |seems )?(fine|ok|okay|normal|good|normally)|no (trouble|problems?|difficulty|issues?) breathing|can breathe (fine|ok|okay|normally))\b/],
  ['treated_no_response', /\b(didnt (help|work)|not helping|isnt helping|doesnt help|nothing (helps|works|is helping)|no relief)\b/],
];

/** Context flags (see the `freeTextFlags` field of Findings). */
export function extractFlags(text: PreparedText): string[] {
  const flags: string[] = [];
  for (const [flag, pattern] of FLAG_PATTERNS) if (text.clauses.some((clause) => pattern.test(clause.text))) flags.push(flag);
  return flags;
}
