/**
 * Reading the answer forms that are words: yes/no questions, choices and the photo. A plain yes, no, "fine" or a
 * hedge is understood for every question (the words below); what each means for a question comes from the
 * protocol (`normal`, `ifYes`, `ifNo`, `ifUnsure`), and the question's own words come first when they say more.
 * Where an answer says two things, the more worrying one is recorded: over-calling a wound check costs a phone
 * call, missing a red flag costs more.
 */
import { mergeFacts, type PostopFacts } from './facts.js';
import { compilePhrases, findMentions, spansOf, type AnswerClause, type Mention } from './phrases.js';
import { optionFacts, type ChoiceOption, type ChoiceQuestion, type Question } from './protocol.js';

/** What one form reader made of an answer. `value` is absent when the answer does not answer the question. */
export interface FormReading {
  value?: number | boolean | string;
  facts: PostopFacts;
  /** Where in the text the answer was read from; the rest is free text for triage. */
  spans: [number, number][];
  /** True when the value came only from a plain yes, no, hedge or "fine", not from the question's own words. */
  general?: boolean;
}

export type General = 'yes' | 'no' | 'hedge' | 'normal';

/** How patients say yes, no, "I'm not sure" and "all fine" by SMS. Hedges: "a little", "kinda", "not sure". */
export const GENERAL: readonly { tag: General; patterns: RegExp[] }[] = [
  { tag: 'yes', patterns: compilePhrases(['yes|y|yeah|yea|yep|yup|ya|yah|ye|yess|yesss|yeh|sure|correct|affirmative|definitely|absolutely|certainly|aye|yas', 'of course', 'uh huh', 'i do', 'yes please',
    // A yes qualified by "mostly" is still a yes ("yes mostly", "mostly yes, a bit sore at night").
    'mostly|mainly|largely|generally', 'pretty much', 'for the most part', 'most of the time', 'on the whole']) },
  { tag: 'no', patterns: compilePhrases(['no|n|nope|nah|naw|nop|noo|nooo|none|nothing|nil|nada|negative|never', 'not really', 'not at all', 'no way', 'i dont think so', 'dont think so', 'not that i know|can|have ~ see|seen|noticed|tell|of', 'nothing like that']) },
  {
    tag: 'hedge',
    patterns: compilePhrases([
      'a little|lil|lill|bit|tad|touch', 'little|lil bit', 'kinda|sorta|slightly|somewhat|maybe|perhaps|possibly|partly|partially|sometimes|unsure|idk|dunno|meh|ish',
      'kind|sort of', 'on and off', 'not sure|certain', 'not really sure', 'dont know', 'do not know', 'no idea', 'cant tell|say', 'hard to tell|say', 'i think so', 'i guess', 'not much',
      'not totally|fully|completely|entirely|always|quite', 'so so',
    ]),
  },
  {
    tag: 'normal',
    patterns: compilePhrases([
      'fine|ok|okay|k|good|great|grand|alright|normal|better|well', 'all right|good|fine|well', 'as usual|normal', 'same as usual|before', 'no problem*|issue*|change*|concerns',
      'nothing unusual|new|different', 'doing well|good|fine|ok|okay|great', 'looks|looking good|fine|great|ok|okay|normal|clean|better', 'healing well|fine|nicely|ok|okay|good',
    ]),
  },
];

const GENERAL_TAGS: ReadonlySet<unknown> = new Set(GENERAL.map((set) => set.tag));

/**
 * The text an answer was read from, to leave out of what triage reads: the question's own words that were said
 * (not denied) and the numbers. General words stay ("no fever" without its "no" would read as a fever), and so do
 * denials, which triage reads as denials.
 */
export function readSpans(clauses: readonly AnswerClause[], mentions: readonly Mention<unknown>[], withDenials = false): [number, number][] {
  return spansOf(clauses, mentions.filter((mention) => !GENERAL_TAGS.has(mention.tag) && (withDenials || !mention.negated)));
}

/** Questions' own phrases compiled once per question object (a protocol is parsed once and kept). */
const compiled = new WeakMap<object, RegExp[]>();
function patternsOf(owner: object, phrases: readonly string[]): RegExp[] {
  let patterns = compiled.get(owner);
  if (!patterns) {
    patterns = compilePhrases(phrases);
    compiled.set(owner, patterns);
  }
  return patterns;
}

/** The general words said: yes, no, a hedge, "fine", and "not fine" (a normal word denied, read as a hedge). */
export function generalSaid(mentions: readonly Mention<unknown>[]): Set<General> {
  const said = new Set<General>();
  // "no its healing nicely": a no that opens the answer answers the question; it does not deny the "fine" after it.
  const answeredNo = (clause: number): boolean => mentions.some((other) => other.tag === 'no' && other.clause === clause && other.from === 0);
  for (const { tag, negated, clause } of mentions) {
    if (tag === 'normal') said.add(negated && !answeredNo(clause) ? 'hedge' : 'normal');
    else if (tag === 'no' || ((tag === 'yes' || tag === 'hedge') && !negated)) said.add(tag);
  }
  return said;
}

const THUMBS = { up: /^\s*(?:\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?\s*)+$/u, down: /^\s*(?:\u{1F44E}[\u{1F3FB}-\u{1F3FF}]?\s*)+$/u };

/** A yes/no answer. Normal-meaning words ("working", "eating") only take a negation before them as a denial. */
export function readYesNo(question: Extract<Question, { kind: 'yes_no' }>, text: string, clauses: readonly AnswerClause[]): FormReading {
  // The value that is a concern: "yes" to "is it swollen?", "no" to "is your pain under control?".
  const concern = question.normal === 'no';
  // Yes-words of a question whose yes is normal describe something going well ("working", "eating fine").
  const plainNegation = question.normal === 'yes';
  const mentions = findMentions<string>(clauses, [
    ...GENERAL,
    { tag: 'yes_words', patterns: patternsOf(question.yesWords, question.yesWords), plainNegation },
    { tag: 'no_words', patterns: patternsOf(question.noWords, question.noWords), plainNegation },
  ]);
  // "kinda working": a hedge just before a word that means all is well makes it a concern.
  const hedgedAt = (mention: Mention<string>): boolean =>
    mentions.some((other) => other.tag === 'hedge' && other.clause === mention.clause && other.to <= mention.from && other.to >= mention.from - 1);
  const values: boolean[] = [];
  for (const mention of mentions) {
    if (mention.tag === 'yes_words') values.push(plainNegation && !mention.negated && (mention.uncertain || hedgedAt(mention)) ? concern : !mention.negated);
    if (mention.tag === 'no_words' && !mention.negated) values.push(false);
  }
  const said = generalSaid(mentions);
  // A plain yes or no is the answer; a hedge changes it only when said of it ("yes a little", "kinda yes"), not of
  // something else in the answer ("yes, it makes me a bit sleepy").
  const plain = mentions.filter((mention) => (mention.tag === 'yes' || mention.tag === 'no') && !mention.negated);
  const hedgeCounts = plain.length === 0 || mentions.some((hedge) => hedge.tag === 'hedge' && !hedge.negated && plain.some((answer) => answer.clause === hedge.clause && Math.abs(answer.from - hedge.from) <= 2));
  // The question's own words say more than a plain yes, no or hedge: "eating a little" is eating.
  const ownWords = values.length > 0;
  if (values.length === 0) {
    if (said.has('hedge') && hedgeCounts) values.push(concern);
    if (said.has('yes') || THUMBS.up.test(text)) values.push(true);
    if (said.has('no') || THUMBS.down.test(text)) values.push(false);
    if (said.has('normal')) values.push(!concern);
  }
  // Words about something going well are taken out even when denied: triage would read "cant keep it down" anew.
  const spans = readSpans(clauses, mentions, plainNegation);
  if (values.length === 0) return { facts: {}, spans };
  const value = values.includes(concern) ? concern : !concern;
  return { value, facts: { [question.fact]: value }, spans, general: !ownWords };
}

/** A choice: the options named (the most worrying wins per fact), else what a plain yes, no or hedge selects. */
export function readChoice(question: ChoiceQuestion, text: string, clauses: readonly AnswerClause[]): FormReading {
  const mentions = findMentions<string | ChoiceOption>(clauses, [
    ...GENERAL,
    ...question.options.map((option) => ({ tag: option, patterns: patternsOf(option, option.words) })),
  ]);
  const named = new Set(mentions.filter((mention) => typeof mention.tag !== 'string' && !mention.negated).map((mention) => mention.tag as ChoiceOption));
  if (named.size === 0) {
    const said = generalSaid(mentions);
    const denied = mentions.some((mention) => typeof mention.tag !== 'string' && mention.negated);
    const pick = (id: string | undefined): void => {
      const option = question.options.find((candidate) => candidate.id === id);
      if (option) named.add(option);
    };
    if (said.has('yes') || THUMBS.up.test(text)) pick(question.ifYes);
    // As for yes/no: a hedge said of something else ("no. wound is a bit red tho") does not change a plain no.
    const plain = mentions.filter((mention) => (mention.tag === 'yes' || mention.tag === 'no') && !mention.negated);
    const hedgeCounts = plain.length === 0 || mentions.some((hedge) => hedge.tag === 'hedge' && !hedge.negated && plain.some((answer) => answer.clause === hedge.clause && Math.abs(answer.from - hedge.from) <= 2));
    if (said.has('hedge') && hedgeCounts) pick(question.ifUnsure);
    // "not red", "no pus": a denial of what the question asks about is a no.
    if (said.has('no') || said.has('normal') || denied || THUMBS.down.test(text)) pick(question.ifNo);
  }
  // The "no" option's words ("stopped", "dry") stay for triage like a plain no: without them, "bleeding stopped"
  // would read as bleeding.
  const spans = readSpans(clauses, mentions.filter((mention) => typeof mention.tag === 'string' || mention.tag.id !== question.ifNo));
  const chosen = question.options.filter((option) => named.has(option));
  if (chosen.length === 0) return { facts: {}, spans };
  // Options are listed mildest first; where two set the same fact, the more worrying value wins ("short of breath,
  // chest tight": BREATH sets no chest pain, CHEST sets chest pain, and chest pain is kept).
  const facts = chosen.map((option) => optionFacts(question, option)).reduce(mergeFacts, {});
  const general = !mentions.some((mention) => typeof mention.tag !== 'string');
  return { value: chosen.at(-1)?.id, facts, spans, general };
}

const SKIP = compilePhrases([
  'skip|skipped|skipping|pass|later|tomorrow|cant|cannot|wont|unable|rather', 'not now|today', 'no|not photo*|picture*|pic|pics|camera|phone|thanks', 'dont want|have|know', 'do not want|have|know',
]);

/** The photo: received when the message carried media, skipped when the patient says so. */
export function readPhoto(text: string, clauses: readonly AnswerClause[], mediaCount: number): FormReading {
  const mentions = findMentions<string>(clauses, [{ tag: 'skip', patterns: SKIP }, ...GENERAL.filter((set) => set.tag === 'no')]);
  const spans = readSpans(clauses, mentions);
  if (mediaCount > 0) return { value: true, facts: { photo: true }, spans: [] };
  if (mentions.length > 0 || THUMBS.down.test(text)) return { value: false, facts: { photo: false }, spans };
  return { facts: {}, spans };
}

