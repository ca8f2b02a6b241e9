/**
 * Merging deterministic findings with findings from an optional language model. The more severe reading wins
 * everywhere, so a model can add a concern but never remove one the rules found.
 */
import { dedupeSymptoms } from './findings.js';
import type { Findings, History, Readings, Subject } from './types.js';

const SUBJECT_RISK: Record<Subject, number> = { infant: 3, child: 2, other_adult: 1, self: 0 };

function furthest(normal: number, left: number | undefined, right: number | undefined): number | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  return Math.abs(right - normal) > Math.abs(left - normal) ? right : left;
}

function ageRisk(age: number): number {
  if (age < 0.25) return 5;
  if (age < 1) return 4;
  if (age >= 65) return 3;
  if (age < 5) return 2;
  return 0;
}

function mergeReadings(left: Readings, right: Readings): Readings {
  const merged: Readings = { ...left };
  const spo2 = [left.spo2Pct, right.spo2Pct].filter((value) => value !== undefined);
  if (spo2.length > 0) merged.spo2Pct = Math.min(...spo2);
  const pulse = furthest(80, left.pulseBpm, right.pulseBpm);
  if (pulse !== undefined) merged.pulseBpm = pulse;
  if ((right.systolic ?? 0) > (left.systolic ?? 0)) {
    merged.systolic = right.systolic;
    merged.diastolic = right.diastolic ?? left.diastolic;
  }
  const glucose = [left.glucoseMgDl, right.glucoseMgDl].filter((value) => value !== undefined);
  if (glucose.length > 0) merged.glucoseMgDl = glucose.some((value) => value < 70) ? Math.min(...glucose) : Math.max(...glucose);
  const rate = furthest(16, left.respiratoryRate, right.respiratoryRate);
  if (rate !== undefined) merged.respiratoryRate = rate;
  const flows = [left.peakFlowPct, right.peakFlowPct].filter((value) => value !== undefined);
  if (flows.length > 0) merged.peakFlowPct = Math.min(...flows);
  return merged;
}

function mergeHistory(left: History, right: History): History {
  const merged: History = { ...left };
  for (const [key, value] of Object.entries(right) as [keyof History, History[keyof History]][]) {
    if (value === undefined) continue;
    if (typeof value === 'boolean') (merged as Record<string, unknown>)[key] = (merged[key] as boolean | undefined) === true || value;
    else if (merged[key] === undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** `rules` merged with `extra` (already validated with findingsSchema); the more severe reading wins. */
export function mergeFindings(rules: Findings, extra: Findings): Findings {
  const merged: Findings = {
    symptoms: dedupeSymptoms([...rules.symptoms, ...extra.symptoms]),
    readings: mergeReadings(rules.readings, extra.readings),
    history: mergeHistory(rules.history, extra.history),
    subject: SUBJECT_RISK[extra.subject] > SUBJECT_RISK[rules.subject] ? extra.subject : rules.subject,
    freeTextFlags: [...new Set([...rules.freeTextFlags, ...extra.freeTextFlags])],
  };
  const temperature = furthest(37, rules.temperatureC, extra.temperatureC);
  if (temperature !== undefined) merged.temperatureC = temperature;
  const age = rules.age === undefined ? extra.age : extra.age === undefined ? rules.age : ageRisk(extra.age) > ageRisk(rules.age) ? extra.age : rules.age;
  if (age !== undefined) merged.age = age;
  return merged;
}
