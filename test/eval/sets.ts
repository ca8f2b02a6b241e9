/**
 * The triage evaluation sets and how they are scored (the scoring of ../shared/triage-dev/README.md):
 * accuracy = the level is one of the expected levels; emergency sensitivity = share of emergency-only cases
 * answered emergency; under-triage = below every expected level; over-triage = above every expected level,
 * also reported on the cases whose expected levels are only self_care and/or routine ("minor").
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { triage, type TriageLevel } from '../../src/domain/triage/engine.js';
import { levelRank } from '../../src/domain/triage/types.js';

const LEVELS = ['emergency', 'urgent', 'routine', 'self_care'] as const;
const EVAL_DIR = path.dirname(fileURLToPath(import.meta.url));

const caseSchema = z.object({
  id: z.string(),
  text: z.string(),
  age: z.number().optional(),
  sex: z.enum(['female', 'male', 'other']).optional(),
  expected: z.union([z.enum(LEVELS).transform((level) => [level]), z.array(z.enum(LEVELS)).min(1).max(2)]),
  category: z.string().default('uncategorised'),
});
export type EvalCase = z.infer<typeof caseSchema>;

/** Every set, who wrote it, and whether its author had read the rules. */
export const EVAL_SETS = [
  { name: 'own', file: 'triage-cases.jsonl', author: 'the team (read the rules)' },
  { name: 'triage-dev', file: 'sets/triage-dev.jsonl', author: 'independent (shared/triage-dev), development set' },
  { name: 'independent-a', file: 'sets/independent-a.jsonl', author: 'independent helper, did not read the rules' },
  { name: 'independent-b', file: 'sets/independent-b.jsonl', author: 'independent helper, did not read the rules; held out until its first run' },
  { name: 'independent-c', file: 'sets/independent-c.jsonl', author: 'independent helper, did not read the rules; written after the protocols, held out until its first run' },
  { name: 'independent-d', file: 'sets/independent-d.jsonl', author: 'independent helper, did not read the rules; written after the lexicon audit, held out until its first run' },
] as const;

/** The CI bar per set: no emergency-only case below emergency, and under-triage under this share. */
export const UNDER_TRIAGE_LIMIT = 0.03;

/** A fixed time so "since Monday" reads the same on every run. */
const NOW = new Date('2025-03-12T14:00:00');

export function loadSet(file: string): EvalCase[] {
  const full = path.resolve(EVAL_DIR, file);
  return fs.readFileSync(full, 'utf8').split('\n').filter((line) => line.trim()).map((line, index) => {
    try {
      return caseSchema.parse(JSON.parse(line));
    } catch (cause) {
      throw new Error(`reading case on line ${index + 1} of ${full}`, { cause });
    }
  });
}

export interface CaseResult extends EvalCase {
  level: TriageLevel;
  rule: string;
}

export interface Score {
  n: number;
  correct: number;
  emergencies: number;
  emergencyHits: number;
  under: number;
  over: number;
  minor: number;
  minorOver: number;
}

export function runCases(cases: EvalCase[]): CaseResult[] {
  return cases.map((c) => {
    const result = triage({ text: c.text, ...(c.age !== undefined ? { age: c.age } : {}), ...(c.sex ? { sex: c.sex } : {}), now: NOW });
    return { ...c, level: result.level, rule: result.rule.id };
  });
}

export const isEmergencyOnly = (c: EvalCase): boolean => c.expected.length === 1 && c.expected[0] === 'emergency';
export const isUnder = (r: CaseResult): boolean => levelRank(r.level) < Math.min(...r.expected.map(levelRank));
export const isOver = (r: CaseResult): boolean => levelRank(r.level) > Math.max(...r.expected.map(levelRank));

export function score(results: CaseResult[]): Score {
  const s: Score = { n: results.length, correct: 0, emergencies: 0, emergencyHits: 0, under: 0, over: 0, minor: 0, minorOver: 0 };
  for (const r of results) {
    if (isEmergencyOnly(r)) {
      s.emergencies++;
      if (r.level === 'emergency') s.emergencyHits++;
    }
    const minor = Math.max(...r.expected.map(levelRank)) <= levelRank('routine');
    if (minor) s.minor++;
    if (r.expected.includes(r.level)) s.correct++;
    else if (isUnder(r)) s.under++;
    else {
      s.over++;
      if (minor) s.minorOver++;
    }
  }
  return s;
}
