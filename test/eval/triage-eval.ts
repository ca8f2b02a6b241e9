/**
 * `npm run eval:triage`: runs the triage engine on test/eval/triage-cases.jsonl and prints accuracy per level,
 * emergency sensitivity, under- and over-triage rates, a confusion matrix and the misclassified cases.
 * Exits 1 when any emergency case is triaged below emergency, or when under-triage reaches 5% (the acceptance bar).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { triage } from '../../src/domain/triage/engine.js';
import { LEVEL_ORDER, levelRank, type TriageLevel } from '../../src/domain/triage/types.js';

const LEVELS = ['emergency', 'urgent', 'routine', 'self_care'] as const;
const caseSchema = z.object({
  id: z.string(),
  text: z.string(),
  age: z.number().optional(),
  sex: z.enum(['female', 'male', 'other']).optional(),
  expected: z.enum(LEVELS),
  note: z.string(),
});
type EvalCase = z.infer<typeof caseSchema>;

const UNDER_TRIAGE_LIMIT = 0.05;
/** A fixed time so "since Monday" reads the same on every run. */
const NOW = new Date('2025-03-12T14:00:00');

function loadCases(file: string): EvalCase[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line, index) => {
    try {
      return caseSchema.parse(JSON.parse(line));
    } catch (cause) {
      throw new Error(`reading case on line ${index + 1} of ${file}`, { cause });
    }
  });
}

const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

function main(): number {
  const file = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'triage-cases.jsonl');
  const cases = loadCases(file);
  const matrix = new Map<string, number>();
  const misses: string[] = [];
  let correct = 0;
  let under = 0;
  let over = 0;
  let emergencyMissed = 0;
  const perLevel = new Map<TriageLevel, { total: number; right: number }>();
  for (const testCase of cases) {
    const result = triage({ text: testCase.text, age: testCase.age, sex: testCase.sex, now: NOW });
    const key = `${testCase.expected}>${result.level}`;
    matrix.set(key, (matrix.get(key) ?? 0) + 1);
    const stats = perLevel.get(testCase.expected) ?? { total: 0, right: 0 };
    stats.total++;
    const diff = levelRank(result.level) - levelRank(testCase.expected);
    if (diff === 0) {
      correct++;
      stats.right++;
    } else {
      if (diff < 0) under++;
      else over++;
      if (testCase.expected === 'emergency') emergencyMissed++;
      misses.push(`  ${diff < 0 ? 'UNDER' : 'over '} ${testCase.id.padEnd(5)} expected ${testCase.expected.padEnd(9)} got ${result.level.padEnd(9)} rule ${result.rule.id}  (${testCase.note})`);
    }
    perLevel.set(testCase.expected, stats);
  }
  const total = cases.length;
  const emergencies = perLevel.get('emergency')?.total ?? 0;
  console.log(`triage eval: ${total} cases from ${path.relative(process.cwd(), file)}`);
  console.log(`overall accuracy     ${pct(correct, total)} (${correct}/${total})`);
  for (const level of LEVELS) {
    const stats = perLevel.get(level) ?? { total: 0, right: 0 };
    console.log(`  ${level.padEnd(10)}         ${pct(stats.right, stats.total)} (${stats.right}/${stats.total})`);
  }
  console.log(`emergency sensitivity ${pct(emergencies - emergencyMissed, emergencies)} (${emergencies - emergencyMissed}/${emergencies})`);
  console.log(`under-triage rate    ${pct(under, total)} (${under}/${total})   [result below expected]`);
  console.log(`over-triage rate     ${pct(over, total)} (${over}/${total})   [result above expected]`);
  const order = [...LEVEL_ORDER].reverse();
  console.log(`\nconfusion matrix (rows expected, columns result)\n${''.padEnd(11)}${order.map((level) => level.padStart(10)).join('')}`);
  for (const expected of order) console.log(`${expected.padEnd(11)}${order.map((got) => String(matrix.get(`${expected}>${got}`) ?? 0).padStart(10)).join('')}`);
  console.log(misses.length > 0 ? `\nmisclassified (${misses.length}):\n${misses.join('\n')}` : '\nno misclassified cases');
  const failed = emergencyMissed > 0 || under / total >= UNDER_TRIAGE_LIMIT;
  console.log(failed ? `\nFAIL: ${emergencyMissed} emergency case(s) under-triaged; under-triage ${pct(under, total)} (limit < ${UNDER_TRIAGE_LIMIT * 100}%)` : '\nPASS');
  return failed ? 1 : 0;
}

process.exitCode = main();
