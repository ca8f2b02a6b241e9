import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/domain/triage/engine.js';
import { levelRank, type TriageLevel } from '../../src/domain/triage/types.js';

// The acceptance bar of the symptom-check issue, enforced on every run (npm run eval:triage prints the detail).
const cases = fs
  .readFileSync(path.resolve(import.meta.dirname, '../eval/triage-cases.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { id: string; text: string; age?: number; sex?: 'female' | 'male' | 'other'; expected: TriageLevel });
const NOW = new Date('2025-03-12T14:00:00');
const results = cases.map((c) => ({ ...c, level: triage({ text: c.text, age: c.age, sex: c.sex, now: NOW }).level }));

describe('triage evaluation suite', () => {
  it('has at least 150 cases across all four levels, at least 30 of them emergencies', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.expected === 'emergency').length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.expected))).toEqual(new Set(['emergency', 'urgent', 'routine', 'self_care']));
  });

  it('never triages an emergency case below emergency', () => {
    expect(results.filter((r) => r.expected === 'emergency' && r.level !== 'emergency').map((r) => r.id)).toEqual([]);
  });

  it('under-triages fewer than 5% of cases', () => {
    const under = results.filter((r) => levelRank(r.level) < levelRank(r.expected));
    expect(under.length / results.length).toBeLessThan(0.05);
  });
});
