/**
 * `npm run eval:postop`: how the post-op check-in reads answers written by someone who never saw its rules
 * (test/eval/sets/postop-*.jsonl). For each answer: the urgency (the red-flag level: critical = emergency,
 * high = urgent, else none) and the facts the writer expected, compared with `readAnswer` on the default
 * protocol's question. Prints one line per set and the misses; `--json` prints the figures only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readAnswer } from '../../src/domain/postop/answers.js';
import { loadDefaultProtocol, type Question } from '../../src/domain/postop/protocol.js';

type Urgency = 'emergency' | 'urgent' | 'none';
interface Case { question: string; says: string; expect: Record<string, unknown>; urgency: Urgency; note?: string }

/** The set's question names, as the default protocol names them. */
const QUESTION_IDS: Record<string, string> = { breathing: 'breathing_chest', eating: 'eating_drinking' };
const SETS_DIR = path.join(import.meta.dirname, 'sets');
const RANK: Record<Urgency, number> = { none: 0, urgent: 1, emergency: 2 };

export interface PostopFigures {
  set: string;
  n: number;
  urgencyAccuracy: number;
  emergencies: { n: number; caught: number };
  urgentOrWorse: { n: number; caught: number };
  under: number;
  over: number;
  factAccuracy: number;
  misses: string[];
}

export function evaluateSet(file: string, now = new Date('2026-11-30T12:00:00Z')): PostopFigures {
  const protocol = loadDefaultProtocol();
  const questions = new Map<string, Question>(protocol.questions.map((question) => [question.id, question]));
  const cases = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Case);
  const figures: PostopFigures = { set: path.basename(file, '.jsonl'), n: cases.length, urgencyAccuracy: 0, emergencies: { n: 0, caught: 0 }, urgentOrWorse: { n: 0, caught: 0 }, under: 0, over: 0, factAccuracy: 0, misses: [] };
  let urgencyRight = 0;
  let factsChecked = 0;
  let factsRight = 0;
  for (const item of cases) {
    const question = questions.get(QUESTION_IDS[item.question] ?? item.question);
    if (!question) throw new Error(`${figures.set}: no question "${item.question}" in the default protocol`);
    const result = readAnswer(question, item.says, { now });
    const got: Urgency = result.status === 'red_flag' ? (result.level === 'critical' ? 'emergency' : 'urgent') : 'none';
    if (got === item.urgency) urgencyRight += 1;
    else if (RANK[got] < RANK[item.urgency]) figures.under += 1;
    else figures.over += 1;
    if (item.urgency === 'emergency') figures.emergencies.n += 1;
    if (item.urgency === 'emergency' && got === 'emergency') figures.emergencies.caught += 1;
    if (item.urgency !== 'none') figures.urgentOrWorse.n += 1;
    if (item.urgency !== 'none' && got !== 'none') figures.urgentOrWorse.caught += 1;

    const facts = result.facts as Record<string, unknown>;
    const wrongFacts: string[] = [];
    if ('unclear' in item.expect) {
      factsChecked += 1;
      if (result.status === 'unclear') factsRight += 1;
      else wrongFacts.push(`unclear (got ${result.status})`);
    } else {
      for (const [fact, expected] of Object.entries(item.expect)) {
        factsChecked += 1;
        const actual = fact === 'temperature_c' && expected === 'unknown' ? (facts.temperature_c === undefined && result.status !== 'unclear' ? 'unknown' : facts.temperature_c) : facts[fact];
        const same = typeof expected === 'number' && typeof actual === 'number' ? Math.abs(expected - actual) <= 0.051 : actual === expected;
        if (same) factsRight += 1;
        else wrongFacts.push(`${fact}=${JSON.stringify(actual)} (expected ${JSON.stringify(expected)})`);
      }
    }
    if (got !== item.urgency || wrongFacts.length > 0) {
      figures.misses.push(`${got === item.urgency ? '  ' : RANK[got] < RANK[item.urgency] ? 'UNDER' : 'over '} [${item.question}] "${item.says}" -> ${got}${got === item.urgency ? '' : ` (expected ${item.urgency})`}${wrongFacts.length ? `; ${wrongFacts.join(', ')}` : ''}`);
    }
  }
  figures.urgencyAccuracy = urgencyRight / cases.length;
  figures.factAccuracy = factsRight / factsChecked;
  return figures;
}

const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const files = fs.readdirSync(SETS_DIR).filter((name) => /^postop-.*\.jsonl$/.test(name)).map((name) => path.join(SETS_DIR, name));
  for (const file of files) {
    const figures = evaluateSet(file);
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify({ ...figures, misses: figures.misses.length }));
      continue;
    }
    console.log(`${figures.set}: n=${figures.n} urgency accuracy ${pct(figures.urgencyAccuracy)}; emergencies caught ${figures.emergencies.caught}/${figures.emergencies.n}; urgent-or-worse flagged ${figures.urgentOrWorse.caught}/${figures.urgentOrWorse.n}; under ${figures.under}, over ${figures.over}; facts right ${pct(figures.factAccuracy)}`);
    if (!process.argv.includes('--quiet')) for (const miss of figures.misses) console.log(`  ${miss}`);
  }
}
