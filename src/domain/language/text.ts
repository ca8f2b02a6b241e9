/**
 * Message text for triage: bounded, folded into canonical words (reusing the safety normaliser, so typos and SMS
 * shorthand read the same way as in emergency detection) and cut into clauses, with NegEx-style scope helpers.
 *
 * Negation follows NegEx (Chapman et al., 2001): a trigger ("no", "denies", "without") negates findings up to a
 * few words after it in the same clause, until a scope terminator ("but", "and", "however"). A post-trigger
 * ("the pain is gone") negates what came before it. Hedges ("maybe", "not sure if") mark a finding uncertain,
 * never negated: a hedged symptom still counts, because missing it is worse than over-calling it.
 */
import { CLAUSE_BREAK, buildLexicon, normalizeMessage } from '../safety/normalize.js';
import { lexiconWords } from './lexicon-files.js';

/**
 * Only the first characters are analysed. Symptom messages are short; this bounds the work on pasted text and
 * adversarial input (every pattern below is linear in its input, and the input is capped).
 */
export const MAX_ANALYSED_CHARS = 4_000;

/** One clause: canonical words between clause breaks, joined with single spaces. */
export interface Clause {
  words: string[];
  /** `words` joined with spaces, with a leading and trailing space so patterns can use ` word ` boundaries. */
  text: string;
  /** Character offset of each word in `text`. */
  starts: number[];
}

export interface PreparedText {
  /** Lower-cased original text (bounded), for number readings such as "bp 190/115". */
  raw: string;
  clauses: Clause[];
  /** All clauses joined with " | ", for message-wide context. */
  all: string;
}

/** Long, distinctive words that absorb typos ("diarhea", "vomitting", "breathin"). */
const FUZZY_TARGETS = [
  'breathing', 'breathe', 'vomiting', 'vomited', 'diarrhea', 'headache', 'migraine', 'swelling', 'swollen', 'bleeding',
  'confused', 'confusion', 'seizure', 'pregnant', 'stomach', 'temperature', 'throat', 'fever', 'dizzy', 'dizziness',
  'nausea', 'nauseous', 'coughing', 'wheezing', 'infection', 'infected', 'incision', 'surgery', 'rash', 'chest',
  'shortness', 'urinate', 'urinating', 'burning', 'constipated', 'unconscious', 'unresponsive', 'lethargic',
  'diabetic', 'diabetes', 'asthma', 'warfarin', 'eliquis', 'xarelto', 'chemotherapy', 'transplant', 'prednisone',
  'throwing', 'sweating', 'painful', 'daughter', 'husband', 'grandmother', 'newborn', 'toddler', 'yesterday',
  'tonsils', 'tingling', 'numbness', 'fainted', 'suicidal', 'stitches', 'discharge', 'antibiotics', 'emergency',
  'abdomen', 'abdominal', 'appendix', 'migraine', 'delivered', 'contractions', 'movement', 'moving', 'sprained',
  'twisted', 'ankle', 'wrist', 'shoulder', 'pressure', 'palpitations', 'racing', 'pounding', 'sugar', 'glucose',
  'oxygen', 'thinner', 'thinners', 'blanch', 'purple', 'mottled', 'blotchy', 'sensitive', 'stiff', 'dehydrated',
  'drowsy', 'sleepy', 'weakness', 'slurred', 'drooping', 'vision', 'blurry', 'blurred', 'tummy', 'belly',
];

/** Misspellings and shorthand the fuzzy matcher cannot reach (first letter wrong, too short, or ambiguous). */
const VARIANTS: [string, string][] = [
  ['pian', 'pain'], ['pane', 'pain'], ['pains', 'pain'], ['paine', 'pain'], ['hurst', 'hurts'], ['chset', 'chest'], ['chets', 'chest'], ['cheast', 'chest'], ['chesst', 'chest'],
  ['diarrhoea', 'diarrhea'], ['diahrea', 'diarrhea'], ['diareah', 'diarrhea'], ['diarea', 'diarrhea'], ['diarrea', 'diarrhea'],
  ['diahrrea', 'diarrhea'], ['diarhea', 'diarrhea'], ['diarrhoe', 'diarrhea'],
  ['puking', 'vomiting'], ['puked', 'vomited'], ['puke', 'vomit'], ['barfing', 'vomiting'], ['barfed', 'vomited'],
  ['vomitting', 'vomiting'], ['vommiting', 'vomiting'], ['vomting', 'vomiting'], ['vomitted', 'vomited'],
  ['feaver', 'fever'], ['fevar', 'fever'], ['fver', 'fever'], ['feverish', 'fever'], ['fevers', 'fever'], ['temp', 'temperature'],
  ['breath', 'breathe'], ['breth', 'breathe'], ['brethe', 'breathe'], ['breating', 'breathing'], ['brething', 'breathing'],
  ['sob', 'short of breath'], ['breathles', 'breathless'], ['brethless', 'breathless'], ['breathess', 'breathless'], ['min', 'minutes'], ['cp', 'chest pain'], ['hedache', 'headache'],
  ['headach', 'headache'], ['hedake', 'headache'], ['migrane', 'migraine'], ['stomache', 'stomach'], ['stomachache', 'stomach ache'],
  ['tummyache', 'tummy ache'], ['bellyache', 'belly ache'], ['preggo', 'pregnant'], ['preggers', 'pregnant'], ['pregant', 'pregnant'],
  ['prego', 'pregnant'], ['thoat', 'throat'], ['throut', 'throat'], ['dizy', 'dizzy'], ['dizzey', 'dizzy'], ['lightheaded', 'light headed'],
  ['postop', 'post op'], ['surgury', 'surgery'], ['sugery', 'surgery'], ['surgey', 'surgery'], ['csection', 'c section'],
  ['bp', 'bp'], ['hr', 'hr'], ['o2', 'o2'], ['spo2', 'o2'], ['sats', 'o2'], ['bs', 'blood sugar'], ['bg', 'blood sugar'],
  ['uti', 'uti'], ['peeing', 'peeing'], ['pee', 'pee'], ['weeing', 'peeing'], ['poop', 'poop'], ['poo', 'poop'],
  ['stool', 'poop'], ['stools', 'poop'], ['bm', 'poop'], ['tarry', 'tarry'], ['meds', 'meds'], ['med', 'meds'], ['ppl', 'people'],
  ['yo', 'years old'], ['mo', 'months'], ['mos', 'months'], ['wk', 'weeks'], ['wks', 'weeks'], ['hrs', 'hours'], 
  ['tmrw', 'tomorrow'], ['yday', 'yesterday'], ['yest', 'yesterday'], ['yesterdy', 'yesterday'], ['tho', 'though'],
  ['eliquis', 'eliquis'], ['apixaban', 'eliquis'], ['xarelto', 'xarelto'], ['rivaroxaban', 'xarelto'], ['coumadin', 'warfarin'],
  ['jaundice', 'jaundice'], ['ckd', 'kidney disease'], ['chf', 'heart failure'], ['afib', 'atrial fibrillation'], ['mi', 'heart attack'],
  ['copd', 'copd'], ['dm', 'diabetes'], ['t1d', 'type 1 diabetes'], ['t2d', 'type 2 diabetes'], ['ibs', 'ibs'], ['uri', 'cold'],
  ['abd', 'abdominal'], ['abdo', 'abdominal'], ['sorethroat', 'sore throat'], ['earache', 'ear ache'], ['backache', 'back ache'],
  ['nosebleed', 'nosebleed'], ['hurts', 'hurts'], ['hurting', 'hurting'], ['kiddo', 'child'], ['bub', 'baby'], ['bubs', 'baby'],
  ['lil', 'little'], ['hubby', 'husband'], ['mom', 'mom'], ['mum', 'mom'], ['mommy', 'mom'], ['ma', 'mom'], ['pops', 'dad'],
];

const PHRASES: [string, string][] = [
  ['throw up', 'vomit'], ['throwing up', 'vomiting'], ['threw up', 'vomited'], ['thrown up', 'vomited'], ['been sick', 'vomited'],
  ['head ache', 'headache'], ['stomach ache', 'stomach pain'], ['tummy ache', 'tummy pain'], ['belly ache', 'belly pain'],
  ['ear ache', 'ear pain'], ['back ache', 'back pain'], ['short of breathe', 'short of breath'], ['shortness of breathe', 'short of breath'],
  ['shortness of breath', 'short of breath'], ['short winded', 'short of breath'], ['out of breathe', 'out of breath'],
  ['light headed', 'lightheaded'], ['pins and needles', 'tingling'], ['passed out', 'fainted'], ['blacked out', 'fainted'],
  ['blood thinners', 'blood thinner'], ['blood thinning', 'blood thinner'],
];

const KNOWN = [
  'breathe', 'breathing', 'breath', 'fever', 'chest', 'pain', 'ache', 'head', 'hurts', 'hurting', 'sore', 'rash', 'throat',
  'stomach', 'belly', 'tummy', 'cough', 'coughing', 'vomit', 'vomiting', 'vomited', 'blood', 'bleeding', 'pee', 'peeing',
  'poop', 'baby', 'son', 'daughter', 'old', 'month', 'months', 'weeks', 'week', 'days', 'day', 'hours', 'hour', 'year',
  'years', 'since', 'ago', 'for', 'no', 'not', 'never', 'without', 'denies', 'bp', 'hr', 'o2', 'sugar', 'temperature',
  'breeding', 'reading', 'heading', 'leading', 'feeding', 'needing', 'seeding', 'fevers', 'sweating', 'swelling',
  'shaking', 'sleeping', 'eating', 'drinking', 'walking', 'talking', 'moving', 'feeling', 'working', 'thinking', 'drooling',
  'stuffy', 'runny', 'sneezing', 'itchy', 'itching', 'hives', 'stiff', 'neck', 'back', 'leg', 'legs', 'arm', 'arms',
  'face', 'lips', 'tongue', 'calf', 'ankle', 'knee', 'wrist', 'hand', 'foot', 'feet', 'eye', 'eyes', 'ear', 'ears', 'nose',
  'bad', 'worse', 'worst', 'better', 'mild', 'severe', 'slight', 'little', 'really', 'very', 'so', 'a', 'bit', 'and', 'or',
  'but', 'my', 'is', 'has', 'have', 'had', 'been', 'with', 'she', 'he', 'they', 'it', 'its', 'the', 'of', 'to', 'in', 'on',
  'when', 'i', 'me', 'we', 'our', 'this', 'that', 'from', 'after', 'since', 'still', 'now', 'today', 'tonight', 'morning',
  'night', 'fall', 'fell', 'falling', 'trip', 'tripped', 'hit', 'cut', 'burn', 'burned', 'burnt', 'bite', 'bitten', 'stung',
  'dying', 'die', 'dead', 'kill', 'sure', 'think', 'maybe', 'might', 'probably', 'possibly', 'three', 'there', 'these',
  'those', 'feel', 'feels', 'feeling', 'felt', 'see', 'seen', 'need', 'keep', 'sleep', 'good', 'look', 'looks', 'food', 'too',
  'off', 'all', 'will', 'well', 'tell', 'call', 'full', 'pull', 'less', 'miss', 'pass', 'add', 'odd', 'bee', 'free', 'fine', 'five', 'nine', 'cold', 'could', 'hold', 'told', 'fold', 'fluid', 'fluids', 'water', 'waters', 'broke',
  'soaked', 'pad', 'pads', 'spotting', 'cramps', 'cramping', 'kicks', 'kicking', 'moving', 'movement', 'movements',
  'break', 'breaking', 'broken', 'up', 'down', 'lying', 'wee', 'weeing', 'ankles', 'calves', 'blotch', 'blotches', 'op', 'ops',
];

let builtLexicon: ReturnType<typeof buildLexicon> | undefined;

/**
 * The triage normaliser's vocabulary, built on first use. It knows every word the English lexicon's lines use, so
 * the fuzzy speller never turns a reviewer's word into another one in a message (see lexicon-files.ts).
 */
function triageLexicon(): ReturnType<typeof buildLexicon> {
  builtLexicon ??= buildLexicon({
    known: [...KNOWN, ...lexiconWords('en')],
    variants: VARIANTS,
    phrases: PHRASES,
    fuzzyTargets: FUZZY_TARGETS,
    splittable: ['chest', 'pain', 'head', 'ache', 'stomach', 'short', 'breath', 'breathe', 'sore', 'throat', 'back', 'ear', 'cant', 'high', 'low', 'blood', 'sugar', 'fever'],
  });
  return builtLexicon;
}

/** Units glued to numbers ("3days", "2wks", "80yo") are split off before the normaliser sees them. */
const GLUED_UNIT = /(?<![a-z]\d*)(\d+)(days?|d|weeks?|wks?|w|hours?|hrs?|h|mins?|minutes?|months?|mos?|m|years?|yrs?|yo|y)\b/g;

/** The message normaliser of triage: one function for messages and lexicon wording, so the two cannot diverge. */
function normalise(text: string): ReturnType<typeof normalizeMessage> {
  // "A&E" is one word ("ae"); any other "&" is "and" (the shared normaliser drops it, which joined "back & belly").
  const anded = text.replace(/\b([a-z])\s*&\s*([a-z])\b/gi, '$1$2').replace(/&/g, ' and ');
  return normalizeMessage(anded.replace(GLUED_UNIT, '$1 $2'), triageLexicon());
}

/** A phrase (a lexicon line's plain words) in the canonical words a message saying it would be read as. */
export function spellPhrase(phrase: string): string[] {
  return normalise(phrase).tokens.map((token) => token.word).filter((word) => word !== CLAUSE_BREAK);
}

/** Bounds, folds and splits a message into clauses of canonical words. */
export function prepareText(text: string): PreparedText {
  const bounded = text.slice(0, MAX_ANALYSED_CHARS);
  const raw = bounded.toLowerCase();
  const message = normalise(bounded);
  const clauses: Clause[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) clauses.push(makeClause(current));
    current = [];
  };
  for (const token of message.tokens) {
    if (token.word === CLAUSE_BREAK) flush();
    else current.push(token.word);
  }
  flush();
  foldShortAnswers(clauses);
  return { raw, clauses, all: ` ${clauses.map((clause) => clause.words.join(' ')).join(' | ')} ` };
}

const SHORT_NO = new Set(['no', 'none', 'noone', 'nope', 'nah', 'nil', 'negative', 'never', 'denies', 'na']);

/** "chest pain? no", "Fever: none": a clause that is only "no" answers the clause before it, as "no chest pain". */
function foldShortAnswers(clauses: Clause[]): void {
  for (let index = clauses.length - 1; index > 0; index--) {
    const words = clauses[index]?.words ?? [];
    const previous = clauses[index - 1];
    if (words.length === 1 && SHORT_NO.has(words[0] ?? '') && previous && previous.words.length <= 4) {
      clauses.splice(index - 1, 2, makeClause(['no', ...previous.words]));
    }
  }
}

function makeClause(words: string[]): Clause {
  const starts: number[] = [];
  let offset = 1;
  for (const word of words) {
    starts.push(offset);
    offset += word.length + 1;
  }
  return { words, text: ` ${words.join(' ')} `, starts };
}

/**
 * Whether a pattern can match any clause: a clause is a part of the whole message, so a pattern that nowhere matches
 * the whole cannot match a clause. Patterns anchored to a clause's start or end (^ $) are always tried.
 */
export function mayMatch(regex: RegExp, all: string): boolean {
  if (/[\^$]/.test(regex.source)) return true;
  regex.lastIndex = 0;
  const found = regex.test(all);
  regex.lastIndex = 0;
  return found;
}

/** The index of the word at character offset `offset` (the first word starting at or after it). */
export function wordIndexAt(clause: Clause, offset: number): number {
  for (let index = 0; index < clause.starts.length; index++) if ((clause.starts[index] ?? 0) >= offset) return index;
  return clause.words.length;
}

export const NEGATION_TRIGGERS: ReadonlySet<string> = new Set(['no', 'not', 'stopped', 'denies', 'deny', 'denied', 'denying', 'without', 'never', 'nor',
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'havent', 'hasnt', 'hadnt', 'none', 'zero', 'negative',
  'nobody', 'noone', 'neither']);
/** Words that end a negation's reach (NegEx scope terminators; "and" added so "no appetite and chest pain" keeps the pain). */
const SCOPE_END = new Set(['but', 'however', 'though', 'although', 'except', 'and', 'yet', 'still', 'now', 'which',
  'because', 'so', 'then', 'plus', 'also', 'apart', 'besides', 'instead', 'until']);
/** A trigger followed by these is not a negation ("not sure", "no better", "not getting better"). */
const PSEUDO_AFTER = new Set(['sure', 'certain', 'know', 'better', 'improving', 'improved', 'change', 'changes', 'reason', 'apparent', 'obvious',
  'getting', 'only', 'just', 'think', 'matter', 'doubt', 'idea', 'clue', 'stopping', 'stop', 'helping', 'working', 'help']);
const HEDGES = /\b(maybe|might|possibly|probably|perhaps|not sure|unsure|not certain|dont know if|dont know whether|i think|think|thinking|kind of|sort of|seems?|could be|wonder\w*|or not|i guess|dont think|cant tell|hard to tell|suppose)\b/;
const POST_NEGATION = /^ (is |has |have |had |was |are )?(gone|went away|resolved|cleared( up)?|stopped|disappeared|all better|better now|no longer|subsided|settled)\b/;
/**
 * Normal findings after a mention: "temp normal", "lips fine", "breathing is ok", "incision looks clean". They deny
 * the finding exactly as "no" does, but only when said of it directly (the next few words), never across "but".
 */
const NORMAL_AFTER = /^ (is |are |was |were |looks? |looking |seems? |feels? |still |all |totally |completely |perfectly |pretty |ok and )?(normal|fine|ok|okay|alright|good|clean|clear|pink|healing (well|fine|nicely|ok)|settled|normal for (me|him|her|them))\b(?! (but|except|until))/;
/**
 * A question about a symptom in general is not a report of it: "what are the signs of a stroke", "when should I
 * call 911 after surgery if", "how do I know if it's infected". Said of the rest of its clause only.
 */
const ASKING_ABOUT = /\b((warning )?(signs?|symptoms?) (of|to watch|to look|that mean)|what (kind|sort|type|kinds|sorts|types) of|for (future )?reference|just so i know|how (do|can|would|will) (i|you|we) (know|tell|recogni[sz]e|spot)|what (should|do|would) (i|we) (do|watch for|look for) (if|when)|when (should|do|would|to) (i|we|you)? ?(call|go|get|seek|worry|ring)\b.*\b(if|after|for))\b/;

/** True when the clause asks about symptoms in general rather than reporting one. */
export function asksAbout(clause: Clause): boolean {
  return ASKING_ABOUT.test(clause.text);
}

/** "normal temp", "clean incision": a normal word straight before a reading or a wound ("a normal headache" is a headache). */
const NORMAL_BEFORE = new Set(['normal', 'clean', 'healthy']);
const NORMAL_SUBJECTS = new Set(['temp', 'temperature', 'breathing', 'pulse', 'bp', 'o2', 'oxygen', 'sats', 'colour', 'color', 'poop', 'pee', 'urine',
  'incision', 'wound', 'scar', 'stitches', 'skin', 'heart', 'sugar', 'sugars', 'blood']);

/**
 * Said before a mention in its scope, these make it something that is not happening now: a condition ("if I get
 * chest pain", "what if"), a cause asked about ("can this medicine cause"), a document or a warning ("the leaflet
 * says", "watch for"), a worry about the future ("worried about having a stroke"). Hedges about now ("not sure if
 * it's a heart attack", "could this be") are not here: they still count.
 */
const NOT_NOW_BEFORE = /\b((what )?if (\w+ ){0,2}(ever )?(get|gets|got|have|has|start|starts|develop|develops|notice|see|feel|experience|become)|in case|(can|could|does|do|will|would|might|may) (this|it|the|my|these|that|those|taking|a|an|\w+ing)? ?(\w+ )?(\w+ )?(cause|causes|give|lead to|trigger|bring on)|(read|heard|learned) (that|about)|(leaflet|papers?|instructions|handout|website|sheet|booklet|doctor|nurse|surgeon|pharmacist) (says?|said|told (me|us) to)|(watch|look|looking) out for|watch for|risk of|(prevent|avoid)( a| getting)?|chance of|how (do|should|can|would) (i|you|we) (use|give|take|know|tell|recogni[sz]e|spot|treat|prevent)|tell me about|what (is|are) (a |an |the )?)\b/;
/** A worry about something that has not happened: "worried about having a stroke" (not "worried about this pain"). */
const WORRY_BEFORE = /(worried|worry|afraid|scared|frightened|terrified|nervous) (about|of)( having| getting| a| an| another)? $/;
/** "is chest pain a side effect of this?", "is X normal after surgery?": a question with no report in it. */
const QUESTION_START = /^ (is|are|can|could|does|do|will|would|should|whats|what|how|why) /;
const REPORTED = /\b(i have|i got|ive|i am|im|i feel|i felt|i had|he has|she has|hes|shes|having|started|been|since|my \w+ (is|are|has|hurts|feels))\b/;
const ABOUT_IT_AFTER = /^ (a |an |the )?(side effects?|normal (after|with|for)|common (after|with)|a sign of|a symptom of|dangerous|serious|contagious|genetic)\b/;
/** A mention that names another thing ("seizure meds", "suicide hotline", "pressure bandage"), not a symptom. */
const ATTRIBUTIVE_AFTER = /^ (meds|medicine|medication|medications|pills|tablets|prescription|refill|appointment|clinic|nurse|specialist|team|bracelet|plan|alarm|test|scan|results|leaflet|hotline|helpline|line|number|prevention|awareness|support group|bandage|dressing|stockings?|monitor|cuff|machine|pump|kit|training|class)\b/;
/** A harmless cause said straight after: "lip is swollen from the dentist", "numb after the filling". */
const EXPLAINED_AFTER = /^ (from|after|because of|due to) (the |my |a |an )?(dentist|dental|filling|numbing|anaesthetic|anesthetic|novocaine|lip filler|filler|tattoo)\b/;
/** "had chest pain earlier but it went away", "the pain I had yesterday is gone": over, said later in the clause. */
const RESOLVED_LATER = /^ (?:(?:\w+ ){0,4}?(?:but |and )?(?:it |its |that |which |the \w+ )?)(is |has |have |had |was )?(gone|went away|passed|resolved|cleared( up)?|disappeared|all better|better now|settled down|stopped now|over now)\b/;

/** Not happening now: conditional, caused-by question, a document's warning, a worry, another thing's name. */
function notNow(clause: Clause, before: readonly string[], lead: string, after: string): boolean {
  if (ATTRIBUTIVE_AFTER.test(after) || EXPLAINED_AFTER.test(after)) return true;
  let scoped = '';
  for (let index = before.length - 1; index >= 0 && !SCOPE_END.has(before[index] ?? ''); index--) scoped = ` ${before[index]}${scoped}`;
  if (NOT_NOW_BEFORE.test(`${scoped} `) || WORRY_BEFORE.test(`${scoped} `)) return true;
  return QUESTION_START.test(clause.text) && !REPORTED.test(clause.text) && (ABOUT_IT_AFTER.test(after) || NOT_NOW_BEFORE.test(lead));
}

/** How a mention at words `[start, end)` of a clause is qualified. */
export function qualify(clause: Clause, start: number, end: number, options: { hypotheticalCounts?: boolean; triggersOnly?: boolean } = {}): { negated: boolean; uncertain: boolean } {
  const before = clause.words.slice(Math.max(0, start - 6), start);
  let negated = false;
  let uncertain = false;
  for (let index = before.length - 1; index >= 0; index--) {
    const word = before[index] ?? '';
    if (SCOPE_END.has(word)) break;
    if (NEGATION_TRIGGERS.has(word)) {
      const next = before[index + 1] ?? clause.words[start] ?? '';
      if (PSEUDO_AFTER.has(next)) {
        uncertain = uncertain || ['sure', 'certain', 'know', 'think', 'idea', 'clue', 'doubt'].includes(next);
        continue;
      }
      if (word === 'dont' && next === 'think') continue;
      negated = true;
      break;
    }
  }
  // A context ("came round fine", "breathing ok") is only denied by a trigger before it, never by what it says.
  if (options.triggersOnly) return { negated, uncertain };
  const after = ` ${clause.words.slice(end, end + 4).join(' ')} `;
  const lead = ` ${clause.words.slice(0, start).join(' ')} `;
  if (!options.hypotheticalCounts && (ASKING_ABOUT.test(lead) || notNow(clause, before, lead, after))) return { negated: true, uncertain: false };
  if (RESOLVED_LATER.test(` ${clause.words.slice(end, end + 9).join(' ')} `)) negated = true;
  if (POST_NEGATION.test(after) || NORMAL_AFTER.test(after) || (NORMAL_BEFORE.has(clause.words[start - 1] ?? '') && NORMAL_SUBJECTS.has(clause.words[start] ?? ''))) negated = true;
  if (HEDGES.test(lead) || /^ \?/.test(after)) uncertain = true;
  // "I don't think it's a fever" is a hedge, not a denial: missing it would be worse than counting it.
  if (negated && /\b(dont|didnt) think\b/.test(lead)) negated = false;
  return { negated, uncertain };
}

/**
 * The same qualification for words already split by another reader (the medicine and crisis tables): one
 * negation, normal-finding and asking-about scope for every part of CareLoop. `hypotheticalCounts` keeps "if I get
 * pregnant" for a medicine question, where the condition is the question itself.
 */
export function qualifyWords(words: readonly string[], start: number, end: number, options: { hypotheticalCounts?: boolean } = {}): { negated: boolean; uncertain: boolean } {
  return qualify(makeClause([...words]), start, end, options);
}

/** Past mentions that are not the current problem ("had a stroke 5 years ago", "history of seizures"). */
export function isHistorical(clause: Clause): boolean {
  // "my chest hurts like when i had my heart attack 2 years ago": now, compared with then.
  if (/\b(like|same as|just like|worse than|feels like) (when|the time|last time|before|my last)\b|\bagain\b/.test(clause.text)) return false;
  return /\b((had|has had|have had) (a |an |his |her |my )?(heart attack|stroke|seizure|clot|cancer|bypass|stent) (at|aged|when|in|back)|\d+ years? (ago|before|back)|years ago|year ago|years before|year before|years back|last year|as a (kid|child)|history of|hx of|in (19|20)\d\d|when i was (young|little|a kid|a child|pregnant with))\b/.test(clause.text);
}
