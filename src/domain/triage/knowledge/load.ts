/**
 * Loads the triage protocols (content/clinical/triage/*.yaml): terms, rules and follow-up questions, validated
 * with zod and compiled once. A file that does not load stops CareLoop with its name, the rule and the reason,
 * so a protocol is never half applied. Every rule must name a source the file (or _terms.yaml) lists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CLINICAL_DIR, lexicon, readYaml } from '../../language/lexicon.js';
import type { Facts } from '../facts.js';
import { LEVEL_ORDER, type TriageLevel } from '../types.js';
import { compileCondition, type Condition, type Vocabulary } from './expression.js';

const levelSchema = z.enum(LEVEL_ORDER as [TriageLevel, ...TriageLevel[]]);
const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/),
  level: levelSchema,
  when: z.string().min(1),
  because: z.string().min(1),
  source: z.string().min(1),
  advice: z.array(z.string().min(1)).optional(),
});
const questionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/),
  question: z.string().min(1),
  ask_when: z.string().min(1),
  answered_by: z.array(z.string()).default([]),
  raises_to: levelSchema,
  answer: z.enum(['yes_no', 'open']).default('yes_no'),
});
const protocolSchema = z.strictObject({
  area: z.string().min(1),
  title: z.string().min(1),
  status: z.string().regex(/^draft/i, 'every protocol stays a draft until a clinician has reviewed it'),
  reviewed_by: z.string().nullable().optional(),
  /** Lower runs first: on equal levels, the earlier rule explains the result. */
  order: z.number().int().default(50),
  covers: z.array(z.string()).optional(),
  sources: z.record(z.string(), z.string()).default({}),
  terms: z.record(z.string().regex(/^[a-z_]+$/), z.string()).default({}),
  rules: z.array(ruleSchema).default([]),
  questions: z.array(questionSchema).default([]),
});

export interface CompiledRule {
  id: string;
  area: string;
  level: TriageLevel;
  when: Condition;
  because: string;
  source: string;
  advice: string[];
}

export interface CompiledQuestion {
  id: string;
  question: string;
  askWhen: Condition;
  answeredBy: string[];
  raisesTo: TriageLevel;
  answer: 'yes_no' | 'open';
}

export interface Knowledge {
  rules: readonly CompiledRule[];
  questions: readonly CompiledQuestion[];
  /** Every protocol area and the complaints it says it covers, for the coverage list. */
  coverage: readonly { area: string; title: string; covers: string[] }[];
}

type Protocol = z.infer<typeof protocolSchema> & { file: string };

function readProtocols(dir: string): Protocol[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort().map((file) => {
    const parsed = protocolSchema.safeParse(readYaml(path.join(dir, file), `protocol ${file}`));
    if (!parsed.success) throw new Error(`protocol ${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return { ...parsed.data, file };
  }).sort((a, b) => a.order - b.order);
}

/** Terms from every file share one namespace; a term may use terms defined anywhere, but never itself. */
function vocabularyFor(protocols: Protocol[]): Vocabulary {
  const codes = new Set(lexicon('en').symptoms.map((wording) => wording.code));
  const sources = new Map<string, { text: string; file: string }>();
  for (const protocol of protocols) {
    for (const [name, text] of Object.entries(protocol.terms)) {
      if (sources.has(name) || codes.has(name)) throw new Error(`protocol ${protocol.file}: term "${name}" is defined twice`);
      sources.set(name, { text, file: protocol.file });
    }
  }
  const compiled = new Map<string, Condition>();
  const compiling = new Set<string>();
  const vocabulary: Vocabulary = {
    isSymptom: (name) => codes.has(name),
    term(name) {
      const found = compiled.get(name);
      if (found) return found;
      const source = sources.get(name);
      if (!source) return undefined;
      if (compiling.has(name)) throw new Error(`protocol ${source.file}: term "${name}" refers to itself`);
      compiling.add(name);
      let condition: Condition;
      try {
        condition = compileCondition(source.text, vocabulary);
      } catch (cause) {
        throw new Error(`protocol ${source.file}: term "${name}": ${(cause as Error).message}`, { cause });
      }
      compiling.delete(name);
      // A term is asked by many rules of one message ("acute_danger" guards every home-care rule): worked out once
      // per message, then remembered for that message's facts.
      const memo = new WeakMap<Facts, boolean>();
      const remembered: Condition = (f) => {
        let value = memo.get(f);
        if (value === undefined) {
          value = condition(f);
          memo.set(f, value);
        }
        return value;
      };
      if (condition.needs) remembered.needs = condition.needs;
      compiled.set(name, remembered);
      return remembered;
    },
  };
  for (const name of sources.keys()) vocabulary.term(name);
  return vocabulary;
}

/** Loads and compiles every protocol file in `dir`. */
export function loadKnowledge(dir = path.join(CLINICAL_DIR, 'triage')): Knowledge {
  const protocols = readProtocols(dir);
  const vocabulary = vocabularyFor(protocols);
  const sharedSources = Object.assign({}, ...protocols.map((protocol) => protocol.sources)) as Record<string, string>;
  const ids = new Set<string>();
  const compile = (text: string, file: string, id: string): Condition => {
    try {
      return compileCondition(text, vocabulary);
    } catch (cause) {
      throw new Error(`protocol ${file}: ${id}: ${(cause as Error).message}`, { cause });
    }
  };
  const rules = protocols.flatMap((protocol) => protocol.rules.map((rule): CompiledRule => {
    if (ids.has(rule.id)) throw new Error(`protocol ${protocol.file}: rule id ${rule.id} is used twice`);
    ids.add(rule.id);
    const source = protocol.sources[rule.source] ?? sharedSources[rule.source];
    if (!source) throw new Error(`protocol ${protocol.file}: ${rule.id} names source "${rule.source}", which no file lists`);
    return { id: rule.id, area: protocol.area, level: rule.level, when: compile(rule.when, protocol.file, rule.id), because: rule.because, source, advice: rule.advice ?? [] };
  }));
  const questions = protocols.flatMap((protocol) => protocol.questions.map((question): CompiledQuestion => {
    for (const code of question.answered_by) if (!vocabulary.isSymptom(code)) throw new Error(`protocol ${protocol.file}: question ${question.id}: unknown symptom "${code}"`);
    return { id: question.id, question: question.question, askWhen: compile(question.ask_when, protocol.file, question.id), answeredBy: question.answered_by, raisesTo: question.raises_to, answer: question.answer };
  }));
  return { rules, questions, coverage: protocols.filter((protocol) => protocol.rules.length > 0).map((protocol) => ({ area: protocol.area, title: protocol.title, covers: protocol.covers ?? [] })) };
}

let knowledge: Knowledge | undefined;

/** The protocols, loaded on first use. */
export function triageKnowledge(): Knowledge {
  knowledge ??= loadKnowledge();
  return knowledge;
}

function hasAny(f: Facts, codes: ReadonlySet<string>): boolean {
  for (const code of codes) if (f.has(code)) return true;
  return false;
}

/** Every rule whose condition holds, in protocol order. */
export function matchingRules(f: Facts): CompiledRule[] {
  return triageKnowledge().rules.filter((rule) => {
    const needs = rule.when.needs;
    if (needs && !hasAny(f, needs)) return false;
    return rule.when(f);
  });
}
