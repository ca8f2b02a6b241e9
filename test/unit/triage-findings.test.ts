import { describe, expect, it } from 'vitest';
import { extractFindings } from '../../src/domain/triage/findings.js';
import { parseDuration } from '../../src/domain/language/durations.js';
import { findingsSchema, type Findings, type SymptomCode } from '../../src/domain/triage/types.js';

/** Wednesday 12 March 2025, 14:00 local time. */
const NOW = new Date(2025, 2, 12, 14, 0, 0);
const find = (text: string, age?: number): Findings => extractFindings({ text, now: NOW, ...(age !== undefined ? { age } : {}) });
const symptom = (findings: Findings, code: SymptomCode) => findings.symptoms.find((item) => item.code === code);

describe('triage extraction: readings and units', () => {
  it.each([
    ['temp 101.5', 38.6],
    ['fever of 39.2C', 39.2],
    ['temp 38', 38],
    ['she is burning up, 103 F', 39.4],
    ['thermometer says 38.5 degrees c', 38.5],
    ['feels hot, it was 101.5 last night', 38.6],
  ])('reads the temperature in "%s" as %s °C', (text, celsius) => {
    expect(find(text).temperatureC).toBe(celsius);
  });

  it('does not read a glucose, a pulse or a duration as a temperature', () => {
    expect(find('sugar 101 and fever for 38 hours').temperatureC).toBeUndefined();
  });

  it('reads home readings', () => {
    const readings = find('o2 is 89, hr 130, bp 190/115 and blood sugar 3.2 mmol').readings;
    expect(readings).toEqual({ spo2Pct: 89, pulseBpm: 130, systolic: 190, diastolic: 115, glucoseMgDl: 58 });
    expect(find('sats 91% on the finger thing').readings.spo2Pct).toBe(91);
    expect(find('sugar is 450').readings.glucoseMgDl).toBe(450);
  });

  it('adds a fever finding from a measured temperature of 38 °C or more', () => {
    expect(symptom(find('my son is 39.1c'), 'fever')?.negated).toBe(false);
  });
});

describe('triage extraction: durations', () => {
  it.each([
    ['since yesterday', 24],
    ['for 3 weeks', 504],
    ['2 days ago', 48],
    ['all morning', 7],
    ['since monday', 2 * 24 + 7],
    ['for the past couple of days', 48],
    ['for 3hrs', 3],
  ])('"%s" is %s hours before now', (text, hours) => {
    const findings = find(`cough ${text}`);
    expect(symptom(findings, 'cough')?.durationHours).toBe(hours);
  });

  it('reads "since Monday" relative to the given now', () => {
    expect(parseDuration(' since monday ', new Date(2025, 2, 10, 9))).toBe(7 * 24 + 2);
  });

  it('does not take a pregnancy gestation for a duration', () => {
    expect(symptom(find('im 32 weeks pregnant with a headache'), 'headache')?.durationHours).toBeUndefined();
  });
});

describe('triage extraction: negation and uncertainty', () => {
  it.each([
    ['no fever', 'fever'],
    ['not short of breath', 'shortness_of_breath'],
    ['denies chest pain', 'chest_pain'],
    ['headache without vomiting', 'vomiting'],
    ['the chest pain is gone now', 'chest_pain'],
    ['no fever, cough or rash', 'fever'],
  ] as const)('"%s" negates %s', (text, code) => {
    expect(symptom(find(text), code)?.negated).toBe(true);
  });

  it('keeps what follows a scope terminator', () => {
    const findings = find('no fever but bad chest pain');
    expect(symptom(findings, 'fever')?.negated).toBe(true);
    expect(symptom(findings, 'chest_pain')?.negated).toBe(false);
    expect(symptom(find('no appetite and chest pain'), 'chest_pain')?.negated).toBe(false);
  });

  it('marks hedged findings uncertain but present', () => {
    for (const text of ['maybe a fever', 'I think I have a fever', 'not sure if its a fever', 'I dont think its a fever']) {
      const fever = symptom(find(text), 'fever');
      expect(fever, text).toMatchObject({ negated: false, uncertain: true });
    }
  });

  it('keeps "cant breathe" and "not breathing" as positive findings', () => {
    expect(symptom(find('i cant breathe'), 'breathing_difficulty')?.negated).toBe(false);
    expect(symptom(find('he is not breathing'), 'unresponsive')?.negated).toBe(false);
  });

  it('handles typos, lowercase and run-ons', () => {
    const findings = find('chest pian and vomitting since yday an diarhea');
    expect(symptom(findings, 'chest_pain')).toBeDefined();
    expect(symptom(findings, 'vomiting')).toBeDefined();
    expect(symptom(findings, 'diarrhoea')).toBeDefined();
  });
});

describe('triage extraction: who is ill, age and history', () => {
  it.each([
    ['my 3 month old has a fever', 'infant', 0.25],
    ['my 80 year old mother is confused', 'other_adult', 80],
    ["I'm 34 and have a cough", 'self', 34],
    ['my baby has a rash', 'infant', undefined],
    ['my son has a cough', 'child', undefined],
    ['my husband has chest pain', 'other_adult', undefined],
    ['my daughter is 6 and has a fever', 'child', 6],
    ['6 week old with a cough', 'infant', 0.115],
  ] as const)('"%s" is about %s aged %s', (text, subject, age) => {
    const findings = find(text);
    expect(findings.subject).toBe(subject);
    expect(findings.age).toBe(age);
  });

  it('uses the input age when the text gives none', () => {
    expect(find('fever', 2)).toMatchObject({ subject: 'child', age: 2 });
  });

  it('does not take "o2 is 89" for an age', () => {
    expect(find('o2 is 89').age).toBeUndefined();
  });

  it('reads history flags and ignores denied ones', () => {
    const history = find('32 weeks pregnant, type 2 diabetic, on eliquis, had a kidney transplant, on prednisone').history;
    expect(history).toMatchObject({ pregnant: true, pregnancyWeeks: 32, diabetes: true, anticoagulated: true, immunosuppressed: true, kidneyDisease: true });
    expect(find('I am not pregnant').history.pregnant).toBeUndefined();
    expect(find('had knee surgery 5 days ago').history).toMatchObject({ recentSurgery: true, daysSinceSurgery: 5 });
    expect(find('surgery 10 years ago').history.recentSurgery).toBeUndefined();
    expect(find('on chemo').history).toMatchObject({ chemotherapy: true, immunosuppressed: true });
    expect(find('I have copd and asthma').history).toMatchObject({ copd: true, asthma: true });
  });

  it('produces findings that validate against findingsSchema', () => {
    const findings = find('my 3 month old has a temp of 101.5 since yesterday, not feeding, bp 120/80');
    expect(findingsSchema.parse(findings)).toEqual(findings);
  });
});
