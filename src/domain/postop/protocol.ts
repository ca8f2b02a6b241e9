/**
 * A post-op check-in protocol: the days after surgery CareLoop checks in, the local send time, and the questions,
 * each recording one fact (or, for a choice, the facts its options set) in the names escalation reads (facts.ts).
 * The same schema validates the reviewed default file (content/clinical/postop) and, later, protocols sent to
 * /api/v1/postop-protocols: strict (unknown keys refused), bounded, and with answer words in a phrase syntax
 * that cannot make matching slow (phrases.ts), because an API caller writes them.
 */
import path from 'node:path';
import { z } from 'zod';
import { CLINICAL_DIR, readYaml } from '../language/lexicon.js';
import { FACT_NAMES, POSTOP_FACTS, factValueProblem, type FactName, type FactValue } from './facts.js';
import { isPhrase } from './phrases.js';

export const QUESTION_KINDS = ['scale_0_10', 'yes_no', 'temperature', 'choice', 'photo'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The longest question or reprompt: two SMS segments. Aim for one (160 characters). */
export const MAX_QUESTION_CHARS = 320;

const phrase = z.string().max(200).refine(isPhrase, 'expected a phrase: words, word*, a|b, word? and ~ (up to three words), with at least one word that must be there, e.g. "blood ~ dressing"');
const phrases = z.array(phrase).max(80);
const day = z.number().int().min(0).max(365);
const plainText = z.string().trim().min(1).max(MAX_QUESTION_CHARS);
const optionId = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/);

const questionBase = {
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  /** What the patient is asked, in plain words, saying how to answer ("Reply 0-10"). */
  text: plainText,
  /** Asked again when an answer cannot be read; a default per kind otherwise. */
  reprompt: plainText.optional(),
  fact: z.enum(FACT_NAMES),
  /** A key of the protocol's `sources`: the published criterion the question comes from. */
  source: z.string().max(40).optional(),
  /** The protocol days this question is asked on; every protocol day when absent. */
  days: z.array(day).min(1).max(60).optional(),
};

const optionSchema = z.strictObject({
  /** The value the option records for the question's fact, unless `sets` says otherwise. */
  id: optionId,
  /** Phrases that choose this option; may be empty for an option chosen only by a plain yes, no or hedge. */
  words: phrases.default([]),
  /** The facts this option records, when it is not simply `fact: id` (one question may set two facts). */
  sets: z.partialRecord(z.enum(FACT_NAMES), z.union([z.number(), z.boolean(), z.string().max(30)])).optional(),
});

const questionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...questionBase, kind: z.literal('scale_0_10') }),
  z.strictObject({ ...questionBase, kind: z.literal('temperature') }),
  z.strictObject({ ...questionBase, kind: z.literal('photo') }),
  z.strictObject({
    ...questionBase,
    kind: z.literal('yes_no'),
    /** Which answer means all is well: "fine" gives it, and a hedge ("a little", "kinda") gives the other. */
    normal: z.enum(['yes', 'no']),
    /** Phrases that mean yes when said, and no when denied ("swollen" / "not swollen"). */
    yesWords: phrases.default([]),
    /** Phrases that mean no ("cant pee", "not helping"). */
    noWords: phrases.default([]),
  }),
  z.strictObject({
    ...questionBase,
    kind: z.literal('choice'),
    /** Mildest first: when an answer names several, the facts of the most worrying win. */
    options: z.array(optionSchema).min(2).max(12),
    ifYes: optionId.optional(),
    ifNo: optionId.optional(),
    ifUnsure: optionId.optional(),
  }),
]);

export type Question = z.infer<typeof questionSchema>;
export type ChoiceQuestion = Extract<Question, { kind: 'choice' }>;
export type ChoiceOption = ChoiceQuestion['options'][number];

/** The facts an option records. */
export function optionFacts(question: ChoiceQuestion, option: ChoiceOption): Partial<Record<FactName, FactValue>> {
  return option.sets ?? { [question.fact]: option.id };
}

/** The fact kinds each question kind can record. */
const KIND_FACTS: Record<QuestionKind, (fact: FactName) => boolean> = {
  scale_0_10: (fact) => fact === 'pain',
  temperature: (fact) => fact === 'temperature_c',
  photo: (fact) => fact === 'photo',
  yes_no: (fact) => POSTOP_FACTS[fact].type === 'boolean',
  choice: () => true,
};

type Issue = { message: string; path: (string | number)[] };

function choiceIssues(question: ChoiceQuestion, at: (string | number)[]): Issue[] {
  const issues: Issue[] = [];
  const ids = question.options.map((option) => option.id);
  if (new Set(ids).size !== ids.length) issues.push({ message: 'option ids must be unique', path: [...at, 'options'] });
  for (const key of ['ifYes', 'ifNo', 'ifUnsure'] as const) {
    const target = question[key];
    if (target !== undefined && !ids.includes(target)) issues.push({ message: `${key} names no option of this question`, path: [...at, key] });
  }
  question.options.forEach((option, index) => {
    const reachable = option.words.length > 0 || [question.ifYes, question.ifNo, question.ifUnsure].includes(option.id);
    if (!reachable) issues.push({ message: 'an option needs words, or ifYes / ifNo / ifUnsure naming it', path: [...at, 'options', index] });
    for (const [fact, value] of Object.entries(optionFacts(question, option)) as [FactName, FactValue][]) {
      const problem = factValueProblem(fact, value);
      if (problem) issues.push({ message: option.sets ? problem : `${problem} (or give the option "sets")`, path: [...at, 'options', index, 'id'] });
    }
  });
  return issues;
}

function protocolIssues(protocol: { days: number[]; sources: Record<string, string>; questions: Question[] }): Issue[] {
  const issues: Issue[] = [];
  if (protocol.days.some((value, index) => index > 0 && value <= (protocol.days[index - 1] ?? -1))) issues.push({ message: 'days must be in increasing order, each once', path: ['days'] });
  const seen = new Set<string>();
  protocol.questions.forEach((question, index) => {
    const at = ['questions', index];
    if (seen.has(question.id)) issues.push({ message: `question id ${question.id} is used twice`, path: [...at, 'id'] });
    seen.add(question.id);
    if (!KIND_FACTS[question.kind](question.fact)) issues.push({ message: `a ${question.kind} question cannot record ${question.fact}`, path: [...at, 'fact'] });
    if (question.source !== undefined && !Object.hasOwn(protocol.sources, question.source)) issues.push({ message: `source "${question.source}" is not listed in sources`, path: [...at, 'source'] });
    for (const value of question.days ?? []) if (!protocol.days.includes(value)) issues.push({ message: `day ${value} is not one of the protocol's days`, path: [...at, 'days'] });
    if (question.kind === 'choice') issues.push(...choiceIssues(question, at));
  });
  return issues;
}

/** A post-op protocol. */
export const protocolSchema = z
  .strictObject({
    /** Review state, e.g. "draft, pending clinician review". */
    status: z.string().trim().min(1).max(200),
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    version: z.number().int().min(1).max(1_000_000),
    title: z.string().trim().min(1).max(120).optional(),
    sources: z.record(z.string().regex(/^[a-z0-9_]{1,40}$/), z.string().trim().min(1).max(500)).default({}),
    /** Days after the surgery date (day 0) a check-in is sent. */
    days: z.array(day).min(1).max(60),
    /** Local time of day in the patient's zone, 24-hour "HH:MM". */
    sendHour: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (24-hour), e.g. 10:00'),
    questions: z.array(questionSchema).min(1).max(40),
  })
  .superRefine((protocol, context) => {
    for (const issue of protocolIssues(protocol)) context.addIssue({ code: 'custom', ...issue });
  });

export type Protocol = z.infer<typeof protocolSchema>;

/** The questions asked on one protocol day, in protocol order. */
export function questionsForDay(protocol: Protocol, day: number): Question[] {
  return protocol.questions.filter((question) => question.days === undefined || question.days.includes(day));
}

export const DEFAULT_PROTOCOL_FILE = path.join(CLINICAL_DIR, 'postop', 'default-protocol.yaml');

/**
 * Reads and validates a protocol file. A file that does not say it is a draft pending clinician review is refused,
 * as for the triage protocols: nothing clinical here has been reviewed yet.
 */
export function loadProtocolFile(file: string): Protocol {
  const name = `post-op protocol ${path.basename(file)}`;
  const data = readYaml(file, name) as { status?: unknown } | null;
  if (typeof data?.status !== 'string' || !/^draft\b/i.test(data.status.trim())) {
    throw new Error(`${name}: status must say "draft, pending clinician review" until a clinician has reviewed it`);
  }
  const parsed = protocolSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

let defaultProtocol: Protocol | undefined;

/** The default protocol (content/clinical/postop/default-protocol.yaml), loaded on first use. */
export function loadDefaultProtocol(): Protocol {
  defaultProtocol ??= loadProtocolFile(DEFAULT_PROTOCOL_FILE);
  return defaultProtocol;
}
