/**
 * `npm run eval:triage [set...]`: runs the triage engine on every evaluation set (test/eval/sets.ts) and prints,
 * per set, accuracy, emergency sensitivity, under- and over-triage, over-triage of minor cases, the same per
 * category, and every miss with the rule that decided it. `--coverage` lists the protocol areas and what they cover.
 * Exits 1 when a set breaks the bar that `npm test` enforces: an emergency-only case answered below emergency, or
 * under-triage of 3% or more.
 */
import { triageKnowledge } from '../../src/domain/triage/knowledge/load.js';
import { EVAL_SETS, UNDER_TRIAGE_LIMIT, isUnder, loadSet, runCases, score, type CaseResult, type Score } from './sets.js';

const pct = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

function line(name: string, s: Score): string {
  return `${name.padEnd(22)} n=${String(s.n).padStart(3)}  accuracy ${pct(s.correct, s.n).padStart(6)}  emergency ${pct(s.emergencyHits, s.emergencies).padStart(6)} (${s.emergencyHits}/${s.emergencies})`
    + `  under ${pct(s.under, s.n).padStart(5)} (${s.under})  over ${pct(s.over, s.n).padStart(5)} (${s.over})  minor over-triaged ${pct(s.minorOver, s.minor)} (${s.minorOver}/${s.minor})`;
}

function report(name: string, author: string, results: CaseResult[], verbose: boolean): boolean {
  const total = score(results);
  console.log(`\n== ${name}: ${author}`);
  console.log(line('all', total));
  for (const category of [...new Set(results.map((r) => r.category))].sort()) console.log(line(category, score(results.filter((r) => r.category === category))));
  const misses = results.filter((r) => !r.expected.includes(r.level));
  if (verbose && misses.length > 0) {
    console.log('misses (id: expected -> got, rule):');
    for (const r of misses) console.log(`  ${isUnder(r) ? 'UNDER' : 'over '} ${r.id}: ${r.expected.join('|')} -> ${r.level} (${r.rule})`);
  }
  const failed = total.emergencyHits < total.emergencies || total.under / total.n >= UNDER_TRIAGE_LIMIT;
  if (failed) console.log(`FAIL ${name}: ${total.emergencies - total.emergencyHits} emergency case(s) below emergency; under-triage ${pct(total.under, total.n)} (bar < ${UNDER_TRIAGE_LIMIT * 100}%)`);
  return failed;
}

function coverage(): void {
  for (const area of triageKnowledge().coverage) {
    const rules = triageKnowledge().rules.filter((rule) => rule.area === area.area);
    console.log(`${area.title} (${area.area}): ${rules.length} rules; covers ${area.covers.join(', ') || '(no list)'}`);
  }
}

function main(): number {
  const args = process.argv.slice(2);
  if (args.includes('--coverage')) {
    coverage();
    return 0;
  }
  const quiet = args.includes('--quiet');
  const wanted = args.filter((arg) => !arg.startsWith('--'));
  let failed = false;
  for (const set of EVAL_SETS) {
    if (wanted.length > 0 && !wanted.includes(set.name)) continue;
    failed = report(set.name, set.author, runCases(loadSet(set.file)), !quiet) || failed;
  }
  console.log(failed ? '\nFAIL: see above' : '\nPASS: every set meets the bar');
  return failed ? 1 : 0;
}

process.exitCode = main();
