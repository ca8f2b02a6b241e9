import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_LIMITS, compileCondition, conditionSchema } from '../../src/domain/escalation/condition.js';
import { DEFAULT_RULES_FILE, loadDefaultRules } from '../../src/domain/escalation/defaults.js';
import { EVENT_TYPES, type EscalationEvent, type EventType, type FactValue } from '../../src/domain/escalation/events.js';
import { compileRule, compileRules, decide, evaluate, parseEscalationRule, snapshot, type EscalationRuleInput, type Match } from '../../src/domain/escalation/rules.js';

const TEAM_A = 'a'.repeat(24);
const TEAM_B = 'b'.repeat(24);
const pageTeam = (minutes: number) => ({ levels: [{ targets: [{ type: 'team' as const }], ackTimeoutMinutes: minutes }], repeat: 2 });
const checkin = (facts: Record<string, FactValue>): EscalationEvent => ({ type: 'postop_checkin', patientId: 'p1', facts });
const pinned = (type: EventType, ...parts: object[]) => ({ all: [{ event: type }, ...parts] });

/** The validation error of a rule, as one string (empty when the rule is valid). */
function faultOf(rule: object): string {
  try {
    parseEscalationRule(rule);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
const ruleWith = (condition: unknown) => ({ name: 'Test', severity: 'high', condition });
const holds = (condition: unknown, event: EscalationEvent) => compileCondition(condition)(event);
const nested = (depth: number): object => (depth === 1 ? { event: 'triage' } : { not: nested(depth - 1) });
let nextId = 0;
function compiled(rule: Partial<EscalationRuleInput> & { condition: unknown }, id = `rule.${++nextId}`) {
  return compileRule({ ...parseEscalationRule({ name: id, severity: 'normal', ...rule }), id, version: 1 });
}

describe('rule validation', () => {
  it('names the path and the choices of a malformed condition', () => {
    expect(faultOf(ruleWith({ all: [{ event: 'postop_checkin' }, { fact: 'pain', op: '=~', value: 3 }] }))).toMatch(/condition\.all\[1\]\.op: expected one of == != < <= > >= in exists/);
    expect(faultOf(ruleWith({ any: [] }))).toMatch(/condition\.any: expected at least one condition/);
    expect(faultOf(ruleWith('temperature_c > 38'))).toMatch(/^escalation rule is not valid: condition: expected a condition/);
    expect(faultOf(ruleWith({ fact: 'pain', op: '>', value: '7' }))).toMatch(/condition\.value/);
    expect(faultOf(ruleWith({ fact: 'pain', op: 'exists', value: true }))).toMatch(/condition\.value: exists takes no value/);
    expect(faultOf(ruleWith({ event: 'postop' }))).toMatch(/condition\.event: expected one of postop_checkin/);
    expect(faultOf({ name: 'Test', severity: 'urgent', condition: { event: 'triage' } })).toMatch(/severity: expected one of critical high normal/);
    expect(faultOf({ name: 'Test', condition: { event: 'triage' } })).toMatch(/severity/);
    expect(faultOf({ name: 'Test', severity: 'high', condition: { event: 'triage' }, careTeamId: 'team-1' })).toMatch(/careTeamId/);
    expect(faultOf({ name: 'Test', severity: 'high', condition: { event: 'triage' }, policy: { levels: [] } })).toMatch(/policy\.levels/);
    expect(faultOf(ruleWith({ fact: 'pain', op: '>=', value: 7 }))).toBe('');
  });

  it('refuses operator injection and unknown keys at every level', () => {
    expect(faultOf(ruleWith({ $where: 'sleep(10000)' }))).toMatch(/condition: unknown key "\$where"/);
    expect(faultOf(ruleWith({ all: [{ fact: 'pain', op: '>', value: 3, $where: 'x' }] }))).toMatch(/condition\.all\[0\]: Unrecognized key: "\$where"/);
    expect(faultOf(ruleWith({ fact: '$where', op: '==', value: 'x' }))).toMatch(/condition\.fact: expected a fact name/);
    expect(faultOf(ruleWith({ fact: 'pain.$gt', op: '==', value: 1 }))).toMatch(/condition\.fact/);
    expect(faultOf(ruleWith({ fact: 'pain', op: '$gt', value: 1 }))).toMatch(/condition\.op: expected one of/);
    expect(faultOf(ruleWith({ fact: 'pain', op: '==', value: { $gt: 1 } }))).toMatch(/condition\.value/);
    expect(faultOf({ ...ruleWith({ event: 'triage' }), $set: { severity: 'normal' } })).toMatch(/Unrecognized key: "\$set"/);
  });

  it('bounds depth, size and list length, and fails fast on absurd nesting', () => {
    expect(faultOf(ruleWith(nested(CONDITION_LIMITS.depth)))).toBe('');
    expect(faultOf(ruleWith(nested(CONDITION_LIMITS.depth + 1)))).toMatch(/nested deeper than 8 levels/);
    expect(faultOf(ruleWith(nested(5000)))).toMatch(/nested deeper than 8 levels/);
    const leaf = { fact: 'pain', op: '>', value: 1 };
    expect(faultOf(ruleWith({ any: Array.from({ length: CONDITION_LIMITS.nodes - 1 }, () => leaf) }))).toBe('');
    expect(faultOf(ruleWith({ any: Array.from({ length: CONDITION_LIMITS.nodes }, () => leaf) }))).toMatch(/more than 100 conditions/);
    expect(faultOf(ruleWith({ any: Array.from({ length: 60 }, () => ({ any: [leaf] })) }))).toMatch(/more than 100 conditions/);
    expect(faultOf(ruleWith({ fact: 'rule', op: 'in', value: Array.from({ length: 51 }, (_, i) => `r${i}`) }))).toMatch(/condition\.value/);
  });

  it('checks fact names and values against the event type a condition pins', () => {
    expect(faultOf(ruleWith(pinned('postop_checkin', { fact: 'temprature_c', op: '>=', value: 38 })))).toMatch(/condition\.all\[1\]\.fact: unknown fact "temprature_c" for postop_checkin \(known: day temperature_c/);
    expect(faultOf(ruleWith(pinned('postop_checkin', { fact: 'drainage', op: 'in', value: ['thick', 'fowl'] })))).toMatch(/condition\.all\[1\]\.value: drainage is one of none clear bloody thick foul, not "fowl"/);
    expect(faultOf(ruleWith(pinned('postop_checkin', { fact: 'temperature_c', op: '==', value: 'high' })))).toMatch(/temperature_c is a number/);
    expect(faultOf(ruleWith(pinned('postop_checkin', { fact: 'redness', op: '>', value: 1 })))).toMatch(/redness is not a number/);
    expect(faultOf(ruleWith(pinned('postop_checkin', { fact: 'pain', op: '>', value: 11 })))).toMatch(/pain ranges 0 to 10/);
    expect(faultOf(ruleWith(pinned('postop_checkin', { any: [{ not: { fact: 'chest_pian', op: 'exists' } }] })))).toMatch(/condition\.all\[1\]\.any\[0\]\.not\.fact: unknown fact "chest_pian"/);
    // Either type may carry the fact; `missed` belongs to both.
    expect(faultOf(ruleWith(pinned('missed_doses', { event: ['missed_doses', 'postop_nonresponse'] }, { fact: 'missed', op: '>=', value: 3 })))).toBe('');
    expect(faultOf(ruleWith({ all: [{ event: ['triage', 'emergency'] }, { fact: 'category', op: '==', value: 'cardiac' }] }))).toBe('');
    expect(faultOf(ruleWith({ all: [{ event: 'triage' }, { event: 'handoff' }] }))).toMatch(/condition\.all: can never match/);
    // Unpinned: the rule reads whatever event carries the fact, so a name cannot be checked.
    expect(faultOf(ruleWith({ fact: 'temprature_c', op: '>=', value: 38 }))).toBe('');
    // An event inside `any` or `not` does not pin its siblings.
    expect(faultOf(ruleWith({ any: [{ event: 'triage' }, { fact: 'anything', op: 'exists' }] }))).toBe('');
  });

  it('never throws while validating arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 12 }), (input) => {
      expect(typeof conditionSchema.safeParse(input).success).toBe('boolean');
    }));
  });
});

describe('evaluation', () => {
  const event = checkin({ temperature_c: 38.6, drainage: 'thick', pain: 4, swelling: false, tags: ['diabetic', 'smoker'] });

  it('is false for every comparison on a missing fact, and `not` of it is true', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) expect(holds({ fact: 'day', op, value: 3 }, event)).toBe(false);
    expect(holds({ fact: 'day', op: 'in', value: [3] }, event)).toBe(false);
    expect(holds({ fact: 'day', op: 'exists' }, event)).toBe(false);
    expect(holds({ not: { fact: 'day', op: '<', value: 3 } }, event)).toBe(true);
    expect(holds({ fact: 'constructor', op: 'exists' }, event)).toBe(false);
    expect(holds({ fact: 'temperature_c', op: '>=', value: 38 }, { type: 'postop_checkin', facts: null as never })).toBe(false);
  });

  it('is false when the fact has another type', () => {
    const textual = checkin({ temperature_c: '38.6', swelling: 'true', pain: Number.NaN, drainage: ['thick'] });
    expect(holds({ fact: 'temperature_c', op: '>=', value: 38 }, textual)).toBe(false);
    expect(holds({ fact: 'temperature_c', op: '!=', value: 37 }, textual)).toBe(false);
    expect(holds({ fact: 'swelling', op: '==', value: true }, textual)).toBe(false);
    expect(holds({ fact: 'pain', op: '<', value: 100 }, textual)).toBe(false);
    expect(holds({ fact: 'pain', op: '!=', value: 3 }, textual)).toBe(false);
    expect(holds({ fact: 'drainage', op: '==', value: 'thick' }, textual)).toBe(false);
  });

  it('compares numbers, text and booleans', () => {
    expect(holds({ fact: 'temperature_c', op: '>=', value: 38.6 }, event)).toBe(true);
    expect(holds({ fact: 'temperature_c', op: '>', value: 38.6 }, event)).toBe(false);
    expect(holds({ fact: 'temperature_c', op: '<', value: 38.7 }, event)).toBe(true);
    expect(holds({ fact: 'pain', op: '<=', value: 3 }, event)).toBe(false);
    expect(holds({ fact: 'drainage', op: '==', value: 'thick' }, event)).toBe(true);
    expect(holds({ fact: 'drainage', op: '!=', value: 'clear' }, event)).toBe(true);
    expect(holds({ fact: 'swelling', op: '==', value: false }, event)).toBe(true);
    expect(holds({ fact: 'swelling', op: '!=', value: false }, event)).toBe(false);
  });

  it('reads `in` on values and lists, `exists` on any given value, and `event`', () => {
    expect(holds({ fact: 'drainage', op: 'in', value: ['thick', 'foul'] }, event)).toBe(true);
    expect(holds({ fact: 'drainage', op: 'in', value: ['clear', 'bloody'] }, event)).toBe(false);
    expect(holds({ fact: 'pain', op: 'in', value: [4, 5] }, event)).toBe(true);
    expect(holds({ fact: 'pain', op: 'in', value: ['4'] }, event)).toBe(false);
    expect(holds({ fact: 'tags', op: 'in', value: ['smoker', 'obese'] }, event)).toBe(true);
    expect(holds({ fact: 'tags', op: 'in', value: ['obese'] }, event)).toBe(false);
    expect(holds({ fact: 'swelling', op: 'exists' }, event)).toBe(true);
    expect(holds({ event: ['triage', 'postop_checkin'] }, event)).toBe(true);
    expect(holds({ event: 'triage' }, event)).toBe(false);
  });

  it('combines with all, any and not', () => {
    const hot = { fact: 'temperature_c', op: '>=', value: 38 };
    const pus = { fact: 'drainage', op: '==', value: 'foul' };
    expect(holds({ all: [hot, pus] }, event)).toBe(false);
    expect(holds({ any: [hot, pus] }, event)).toBe(true);
    expect(holds({ all: [hot, { not: pus }] }, event)).toBe(true);
    expect(holds({ not: { any: [hot, pus] } }, event)).toBe(false);
  });

  it('returns every enabled matching rule in rule order', () => {
    const rules = [
      compiled({ condition: { fact: 'pain', op: '>=', value: 4 } }, 'a'),
      compiled({ condition: { fact: 'pain', op: '>=', value: 9 } }, 'b'),
      compiled({ condition: { fact: 'pain', op: 'exists' }, enabled: false }, 'c'),
      compiled({ condition: { event: 'postop_checkin' } }, 'd'),
    ];
    expect(evaluate(rules, event).map((match) => match.ruleId)).toEqual(['a', 'd']);
    expect(() => compileRules([rules[0]!, rules[0]!])).toThrow(/rule id a is used twice/);
  });

  it('never throws on arbitrary facts, and never fires a comparison on a fact it was not given', () => {
    const rules = [...loadDefaultRules(), compiled({ condition: { any: [{ fact: 'tags', op: 'in', value: ['x', 1] }, { not: { fact: 'constructor', op: 'exists' } }] } })];
    const arbitraryEvent = fc.record({
      type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string()),
      facts: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'temperature_c', 'drainage', 'level', 'tags')), fc.anything()),
    });
    fc.assert(fc.property(arbitraryEvent, (arbitrary) => {
      const matches = evaluate(rules, arbitrary as EscalationEvent);
      decide(matches);
      const withoutTemperature = { type: 'postop_checkin' as const, facts: { ...arbitrary.facts, temperature_c: undefined } };
      expect(evaluate(rules, withoutTemperature as unknown as EscalationEvent).map((match) => match.ruleId)).not.toContain('postop.fever');
    }));
  });
});

describe('the default rules', () => {
  const rules = loadDefaultRules();
  const decideFor = (event: EscalationEvent) => decide(evaluate(rules, event));

  it('raise a wound infection with fever and yellow-green drainage as high, with no 911 advice', () => {
    const decision = decideFor(checkin({ day: 5, temperature_c: 38.6, pain: 5, pain_controlled: true, redness: 'present', drainage: 'thick', bleeding: 'none', chest_pain: false, breathless: false }));
    expect(decision?.severity).toBe('high');
    expect(decision?.rules).toEqual(['postop.fever', 'postop.purulent_drainage']);
    expect(decision?.patientAdvice).toBeUndefined();
  });

  it('raise chest pain after surgery as critical and tell the patient to call 911', () => {
    const decision = decideFor(checkin({ day: 2, temperature_c: 37.4, chest_pain: true, calf_pain: true }));
    expect(decision?.severity).toBe('critical');
    expect(decision?.rules).toEqual(['postop.chest_pain', 'postop.calf_pain']);
    expect(decision?.patientAdvice).toMatch(/call 911 now/i);
  });

  it('raise nothing for a healing wound', () => {
    expect(decideFor(checkin({ day: 4, temperature_c: 37.2, pain: 3, pain_controlled: true, redness: 'none', swelling: false, drainage: 'clear', wound_opening: false, organs_visible: false, bleeding: 'light', calf_pain: false, breathless: false, chest_pain: false, eating_drinking: true, passing_urine: true, photo: false }))).toBeUndefined();
    expect(decideFor(checkin({ temperature_c: 37.9 }))).toBeUndefined();
    expect(decideFor(checkin({ temperature_c: 36.0 }))).toBeUndefined();
    // NHSN and NHS: 38.0 C is a fever; issue 13's example of 38.6 still pages high.
    expect(decideFor(checkin({ temperature_c: 38.0 }))?.severity).toBe('high');
    expect(decideFor(checkin({ temperature_c: 38.6 }))?.rules).toEqual(['postop.fever']);
    expect(decideFor(checkin({ temperature_c: 35.8 }))?.rules).toEqual(['postop.low_temperature']);
    expect(decideFor(checkin({ pain: 6, pain_controlled: false }))?.rules).toEqual(['postop.pain_uncontrolled']);
  });

  it.each([
    [checkin({ breathless: true }), 'critical', true],
    [checkin({ bleeding: 'heavy' }), 'critical', true],
    [checkin({ organs_visible: true }), 'critical', true],
    [checkin({ redness: 'spreading' }), 'high', false],
    [checkin({ drainage: 'foul' }), 'high', false],
    [checkin({ wound_opening: true }), 'high', false],
    [checkin({ calf_pain: true }), 'high', false],
    [{ type: 'triage', facts: { level: 'emergency', rule: 'cardiac.chest_pain_with_features' } }, 'critical', false],
    [{ type: 'triage', facts: { level: 'urgent', rule: 'x.y' } }, 'high', false],
    [{ type: 'emergency', facts: { category: 'cardiac' } }, 'critical', false],
    [{ type: 'handoff', facts: {} }, 'normal', false],
    [{ type: 'wellbeing_low', facts: { score: 2 } }, 'normal', false],
    [{ type: 'missed_doses', facts: { missed: 3 } }, 'normal', false],
    [{ type: 'postop_nonresponse', facts: { missed: 2 } }, 'normal', false],
  ] as [EscalationEvent, string, boolean][])('raise %j as %s', (event, severity, advised) => {
    const decision = decideFor(event);
    expect(decision?.severity).toBe(severity);
    expect(decision?.patientAdvice !== undefined).toBe(advised);
  });

  it('leave routine and self-care triage results to the triage reply', () => {
    expect(decideFor({ type: 'triage', facts: { level: 'routine' } })).toBeUndefined();
    expect(decideFor({ type: 'triage', facts: { level: 'self_care' } })).toBeUndefined();
  });

  it('each name a source the file lists, and carry the file version (2: fever from 38.0 C, low temperature, pain not controlled)', () => {
    for (const rule of rules) {
      expect(rule.sourceText.length).toBeGreaterThan(10);
      expect(rule.version).toBe(2);
    }
  });
});

describe('loading the default rules', () => {
  const original = fs.readFileSync(DEFAULT_RULES_FILE, 'utf8');
  function loadEdited(edit: (text: string) => string) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-escalation-')), 'default-rules.yaml');
    fs.writeFileSync(file, edit(original));
    return () => loadDefaultRules(file);
  }

  it('refuses a file whose header does not say it is a draft pending review', () => {
    expect(original.split('\n')[0]).toBe('# status: draft, pending clinician review');
    expect(loadEdited((text) => text.replace(/^# status: .*\n/, ''))).toThrow(/first comment block must say "status: draft/);
    expect(loadEdited((text) => text.replace(/^# status: .*\n/, '# status: reviewed\n'))).toThrow(/status: draft/);
    expect(loadEdited((text) => text.replace(/^status: .*$/m, 'status: reviewed'))).toThrow(/status: every rule file stays a draft/);
  });

  it('refuses an unknown source, a misspelt fact and a malformed rule, naming the rule', () => {
    expect(loadEdited((text) => text.replace('source: nice_ng158', 'source: nice_ng999'))).toThrow(/postop\.chest_pain names source "nice_ng999"/);
    expect(loadEdited((text) => text.replace('fact: temperature_c', 'fact: temprature_c'))).toThrow(/rules\[4\]\.condition\.all\[1\]\.fact: unknown fact "temprature_c"/);
    expect(loadEdited((text) => text.replace('severity: high', 'severity: medium'))).toThrow(/rules\[\d+\]\.severity/);
    expect(loadEdited((text) => `${text}\n  - { id: [broken\n`)).toThrow(/escalation rules default-rules\.yaml:/);
  });
});

describe('deciding', () => {
  const match = (ruleId: string, severity: Match['severity'], extra: Partial<Match> = {}): Match => ({ ruleId, ruleVersion: 1, ruleName: ruleId, severity, ...extra });

  it('lets the most severe win, the first by rule order on a tie', () => {
    const decision = decide([
      match('n', 'normal', { patientAdvice: 'We will call you tomorrow.' }),
      match('h1', 'high', { careTeamId: TEAM_A }),
      match('c1', 'critical'),
      match('h2', 'high'),
      match('c2', 'critical', { careTeamId: TEAM_B, policy: pageTeam(5), patientAdvice: 'Call 911 now.' }),
    ]);
    expect(decision?.severity).toBe('critical');
    expect(decision?.rules).toEqual(['c1', 'c2', 'h1', 'h2', 'n']);
    // Team and policy belong to the winner; advice comes from the winning severity, never a milder rule.
    expect(decision?.careTeamId).toBeUndefined();
    expect(decision?.policy).toBeUndefined();
    expect(decision?.patientAdvice).toBe('Call 911 now.');
    expect(decide([match('n', 'normal', { patientAdvice: 'Later.' }), match('h', 'high')])?.patientAdvice).toBeUndefined();
    expect(decide([match('h', 'high', { careTeamId: TEAM_A, policy: pageTeam(10) })])).toMatchObject({ careTeamId: TEAM_A, policy: { levels: [{ ackTimeoutMinutes: 10 }] } });
    expect(decide([])).toBeUndefined();
  });

  it('snapshots what an alert keeps, untouched by later rule changes', () => {
    const input = { name: 'Fever', severity: 'high', careTeamId: TEAM_A, policy: pageTeam(10), condition: pinned('postop_checkin', { fact: 'temperature_c', op: '>=', value: 38 }) };
    const rule = compileRule({ ...parseEscalationRule(input), id: 'fever', version: 1 });
    const decision = decide(evaluate([rule], checkin({ temperature_c: 39 })))!;
    const kept = snapshot(decision);
    expect(kept).toEqual({ severity: 'high', rules: [{ id: 'fever', version: 1, name: 'Fever', severity: 'high' }], careTeamId: TEAM_A, policy: { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 10 }], repeat: 2 } });

    // The rule is edited: a new version with another severity and policy, and the caller's objects are mutated.
    input.policy.levels[0]!.ackTimeoutMinutes = 1;
    const edited = compileRule({ ...parseEscalationRule({ ...input, severity: 'critical', policy: pageTeam(2) }), id: 'fever', version: 2 });
    expect(decide(evaluate([edited], checkin({ temperature_c: 39 })))?.severity).toBe('critical');
    expect(rule.policy?.levels[0]?.ackTimeoutMinutes).toBe(10);
    expect(kept.severity).toBe('high');
    expect(kept.rules[0]?.version).toBe(1);
    expect(kept.policy?.levels[0]?.ackTimeoutMinutes).toBe(10);
    expect(kept.policy).not.toBe(decision.policy);
    expect(Object.isFrozen(kept.policy?.levels[0])).toBe(true);
  });
});
