import { describe, expect, it } from 'vitest';
import { EVAL_SETS, UNDER_TRIAGE_LIMIT, isEmergencyOnly, isUnder, loadSet, runCases } from '../eval/sets.js';

// The acceptance bar of the clinical-safety issue, enforced on every set on every run (npm run eval:triage prints
// the detail). Accuracy and over-triage are reported there, not enforced: they are the cost, under-triage the risk.
describe.each(EVAL_SETS)('triage evaluation set $name', ({ file }) => {
  const results = runCases(loadSet(file));

  it('has cases at every level, emergencies among them', () => {
    expect(results.length).toBeGreaterThanOrEqual(100);
    expect(results.filter(isEmergencyOnly).length).toBeGreaterThanOrEqual(30);
    expect(new Set(results.flatMap((r) => r.expected))).toEqual(new Set(['emergency', 'urgent', 'routine', 'self_care']));
  });

  it('never answers an emergency-only case below emergency', () => {
    expect(results.filter((r) => isEmergencyOnly(r) && r.level !== 'emergency').map((r) => `${r.id} -> ${r.level} (${r.rule})`)).toEqual([]);
  });

  it(`under-triages fewer than ${UNDER_TRIAGE_LIMIT * 100}% of cases`, () => {
    const under = results.filter(isUnder);
    expect(under.length / results.length, under.map((r) => r.id).join(' ')).toBeLessThan(UNDER_TRIAGE_LIMIT);
  });
});
