/**
 * Understanding one answer to one check-in question.
 *
 * The question's own form is read first (a number, a temperature, yes/no, a choice, a photo); whatever else the
 * patient wrote is free text and goes through the triage engine, so "the wound opened and something is poking
 * out" or "I can't breathe" is never recorded as a plain answer. Triage reads the free text twice: with the
 * surgery as context, where only its emergencies count (the post-op emergency rules need to know there was an
 * operation: a soaked dressing, something coming out of the wound), and without it, where its urgent level
 * counts too. Its same-day post-op rules (any bleeding, any fever, pain 7 or more) are broader than this
 * protocol's red flags, which decide for what the question asked (red-flags.ts); the escalation rules weigh the rest.
 */
import { MAX_ANALYSED_CHARS } from '../language/text.js';
import { findingsSchema, type Findings, type Symptom } from '../triage/types.js';
import { triage, type TriageResult } from '../triage/engine.js';
import { mergeFacts, type PostopFacts } from './facts.js';
import { readChoice, readPhoto, readYesNo, type FormReading } from './forms.js';
import { readScale, readTemperature } from './numbers.js';
import { compilePhrases, findMentions, tokenize, withoutSpans, type AnswerClause } from './phrases.js';
import { asksBack, cannotAnswer, currentPart, onlyAcknowledges } from './scope.js';
import { bleedingSigns, burstSigns, painSigns, temperatureSigns, woundSigns } from './signs.js';
import type { Question, QuestionKind } from './protocol.js';
import { redFlagMessage, redFlagsIn, topLevel, type RedFlag, type RedFlagLevel } from './red-flags.js';

/** A question's answer: a score, °C or "unknown", yes (true) / no (false), an option id, or photo sent (true). */
export type AnswerValue = number | boolean | string;

export interface ReadContext {
  /** The time of the message, for triage ("since Monday"). */
  now: Date;
  /** Days since the surgery, when known: context for triage's post-op rules. */
  day?: number;
  /** Pictures attached to the message (MMS, web chat upload): the photo question's answer. */
  mediaCount?: number;
}

export type AnswerResult =
  | { status: 'answered'; value: AnswerValue; facts: PostopFacts }
  | { status: 'unclear'; reprompt: string; facts: PostopFacts }
  | {
      status: 'red_flag';
      level: RedFlagLevel;
      flags: RedFlag[];
      /** What to tell the patient now; `{EMERGENCY_NUMBER}` and `{CARE_TEAM_PHONE}` are filled in by the caller. */
      message: string;
      facts: PostopFacts;
      /** The answer to the question itself, when the message gave one. */
      value?: AnswerValue;
    };

const DEFAULT_REPROMPT: Record<QuestionKind, string> = {
  scale_0_10: 'Please reply with one number from 0 (none) to 10 (the worst).',
  yes_no: 'Please reply YES or NO.',
  temperature: 'Please reply your temperature as a number, like 98.6 or 37.0, or NOT TAKEN if you could not check it.',
  choice: 'Please reply with one of the answers in the question.',
  photo: 'Please attach a photo, or reply SKIP.',
};

function readForm(question: Question, text: string, clauses: AnswerClause[], mediaCount: number): FormReading {
  switch (question.kind) {
    case 'scale_0_10':
      return readScale(text, clauses);
    case 'temperature':
      return readTemperature(text, clauses);
    case 'yes_no':
      return readYesNo(question, text, clauses);
    case 'choice':
      return readChoice(question, text, clauses);
    case 'photo':
      return readPhoto(text, clauses, mediaCount);
  }
}

/** The facts triage's findings imply, in the protocol's names. Only what is stated: a denial sets nothing. */
export function factsFromFindings(findings: Findings): PostopFacts {
  const facts: PostopFacts[] = [];
  const said = (symptom: Symptom, words: RegExp): boolean => words.test(symptom.evidence ?? '');
  for (const symptom of findings.symptoms.filter((item) => !item.negated)) {
    switch (symptom.code) {
      case 'wound_evisceration': facts.push({ organs_visible: true, wound_opening: true }); break;
      case 'wound_opening': facts.push({ wound_opening: true }); break;
      case 'dressing_soaked': case 'bleeding_severe': facts.push({ bleeding: 'heavy' }); break;
      case 'bleeding': facts.push({ bleeding: 'light' }); break;
      case 'chest_pain': facts.push({ chest_pain: true }); break;
      case 'shortness_of_breath': case 'breathing_difficulty': facts.push({ breathless: true }); break;
      case 'calf_pain': facts.push({ calf_pain: true }); break;
      case 'leg_swelling': if (!/both/.test(symptom.site ?? '')) facts.push({ calf_pain: true }); break;
      case 'wound_redness': facts.push({ redness: said(symptom, /spread|streak|line|track|bigger|growing/) ? 'spreading' : 'present' }); break;
      case 'wound_pus': facts.push({ drainage: said(symptom, /smell|stink|odou?r|foul/) ? 'foul' : 'thick' }); break;
      case 'no_urine': case 'urinary_retention': facts.push({ passing_urine: false }); break;
      case 'cant_keep_fluids': facts.push({ eating_drinking: false }); break;
      case 'pain': if (symptom.score !== undefined) facts.push({ pain: symptom.score }); break;
    }
  }
  // The safety net's words without a lexicon reading ("soaked through", "blood everywhere").
  if (findings.freeTextFlags.includes('safety_bleeding')) facts.push({ bleeding: 'heavy' });
  if (findings.freeTextFlags.includes('safety_breathing')) facts.push({ breathless: true });
  if (findings.freeTextFlags.includes('safety_cardiac')) facts.push({ chest_pain: true });
  if (findings.temperatureC !== undefined) facts.push({ temperature_c: findings.temperatureC });
  return facts.reduce(mergeFacts, {});
}

/**
 * A wound open with something showing, in words the shared lexicon does not read yet: its wound_evisceration
 * wording wants a colour ("something pink poking out"), so "the wound opened and something is poking out" reads as
 * an opening only. Read in every answer's free text until the lexicon covers it (CDC / NHS dehiscence advice).
 */
const ORGANS_SHOWING = compilePhrases([
  'something|stuff|lump|tissue|fat|bowel*|intestin*|gut*|organ*|insides ~ poking|sticking|hanging|bulging|spilling out|through',
  'poking|sticking|hanging|bulging|spilling out|through of|from ~ wound|incision|cut|scar|stitches|staples',
  'can|could see ~ insides|fat|tissue|bone|organ*|bowel*|intestin*|gut*',
  'can|could see inside ~ wound|incision|cut|it',
]);

function organsShowing(text: string): PostopFacts {
  const said = findMentions(tokenize(text), [{ tag: 'organs', patterns: ORGANS_SHOWING }]).some((mention) => !mention.negated);
  return said ? { organs_visible: true, wound_opening: true } : {};
}

interface FreeTextReading {
  facts: PostopFacts;
  flag?: RedFlag;
}

function triageFlag(result: TriageResult, level: RedFlagLevel): RedFlag {
  return { id: `triage.${result.rule.id}`, level, because: result.rule.because, source: result.rule.source };
}

function surgeryFindings(context: ReadContext): Findings {
  return findingsSchema.parse({ history: { recentSurgery: true, ...(context.day !== undefined && context.day <= 365 ? { daysSinceSurgery: context.day } : {}) } });
}

/** Triage of the free text: with the surgery as context for emergencies, then without it for urgent. */
function readFreeText(text: string, context: ReadContext): FreeTextReading {
  if (!/\p{L}/u.test(text)) return { facts: {} };
  const withSurgery = triage({ text, now: context.now, extraFindings: surgeryFindings(context) });
  const facts = mergeFacts(factsFromFindings(withSurgery.findings), organsShowing(text));
  if (withSurgery.level === 'emergency') return { facts, flag: triageFlag(withSurgery, 'critical') };
  const alone = triage({ text, now: context.now });
  if (alone.level === 'emergency' || alone.level === 'urgent') return { facts, flag: triageFlag(alone, alone.level === 'emergency' ? 'critical' : 'high') };
  return { facts };
}

/** Trouble breathing, in triage's words: an emergency after surgery on whatever question it is said. */
const BREATHING_SYMPTOMS: ReadonlySet<string> = new Set(['breathing_difficulty', 'shortness_of_breath', 'throat_closing', 'swelling_eye_neck']);

/**
 * A breathing emergency in the whole answer, the question's own words included: the free text alone can lose one when a
 * question's word is part of it ("swollen and hard to breathe" to the swelling question takes "hard" as a swelling
 * word). Breathing emergencies only (the brief's "anywhere"): other words the form read are its answer, and
 * triage reading them again would count the answer's own score or words twice ("pain 8", "it makes me drowsy").
 */
function readWhole(text: string, context: ReadContext): FreeTextReading {
  if (!/\p{L}/u.test(text)) return { facts: {} };
  const result = triage({ text, now: context.now, extraFindings: surgeryFindings(context) });
  const breathing = result.findings.symptoms.some((symptom) => !symptom.negated && BREATHING_SYMPTOMS.has(symptom.code)) || result.findings.freeTextFlags.some((flag) => flag === 'safety_breathing' || flag === 'safety_anaphylaxis');
  if (result.level !== 'emergency' || !breathing) return { facts: {} };
  return { facts: mergeFacts(factsFromFindings(result.findings), organsShowing(text)), flag: triageFlag(result, 'critical') };
}

/** The signs an answer says beyond its own fact, for the question it answers (signs.ts). */
function readSigns(question: Question, clauses: AnswerClause[], form: FormReading, facts: PostopFacts): { facts: PostopFacts; flags: RedFlag[] } {
  if (question.kind === 'scale_0_10' && question.fact === 'pain') return painSigns(clauses, facts);
  if (question.kind === 'temperature') return { facts: {}, flags: temperatureSigns(clauses, form.value) };
  return { facts: {}, flags: [...woundSigns(question, clauses), ...burstSigns(clauses, facts)] };
}

/**
 * Reads a patient's answer to a check-in question: answered (with the value and the facts it records), unclear
 * (with what to ask again), or a red flag (stop the questions, tell the patient what to do now). Deterministic
 * for a given text and `now`.
 */
export function readAnswer(question: Question, text: string, context: ReadContext): AnswerResult {
  // Answers are short: the bound caps the work on a pasted essay, as triage does.
  const whole = (typeof text === 'string' ? text : '').slice(0, MAX_ANALYSED_CHARS);
  // "ok", "k", an emoji: no answer and no symptom in it; asked again (a thumbs-up to "short of breath?" is no yes).
  if (onlyAcknowledges(whole)) return { status: 'unclear', reprompt: question.reprompt ?? DEFAULT_REPROMPT[question.kind], facts: {} };
  // What is about the patient's wound now: past and over, someone else's, elsewhere and jokes are left out (scope.ts).
  const answer = currentPart(question, whole);
  const clauses = tokenize(answer);
  const read = readForm(question, answer, clauses, context.mediaCount ?? 0);
  // "can't tell, it's under the dressing", "what do you mean by swollen": not an answer, whatever hedge it holds.
  const notAnAnswer = asksBack(clauses) || (read.general === true && cannotAnswer(clauses));
  const form: FormReading = notAnAnswer ? { facts: {}, spans: read.spans } : read;
  const free = readFreeText(withoutSpans(answer, form.spans), context);
  const inWhole = free.flag?.level === 'critical' ? { facts: {} } : readWhole(answer, context);
  let facts = [form.facts, free.facts, inWhole.facts].reduce(mergeFacts, {});
  const signs = readSigns(question, clauses, form, facts);
  facts = [facts, signs.facts, bleedingSigns(clauses)].reduce(mergeFacts, {});
  const flags = [...redFlagsIn(facts), ...signs.flags, ...[free.flag, inWhole.flag].filter((flag) => flag !== undefined)];
  const level = topLevel(flags);
  if (level !== undefined) {
    const ordered = [...flags.filter((flag) => flag.level === 'critical'), ...flags.filter((flag) => flag.level === 'high')];
    return { status: 'red_flag', level, flags: ordered, message: redFlagMessage(ordered), facts, ...(form.value !== undefined ? { value: form.value } : {}) };
  }
  if (form.value !== undefined) return { status: 'answered', value: form.value, facts };
  return { status: 'unclear', reprompt: question.reprompt ?? DEFAULT_REPROMPT[question.kind], facts };
}
