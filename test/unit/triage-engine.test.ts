import { describe, expect, it } from 'vitest';
import { triage, type TriageInput, type TriageResult } from '../../src/domain/triage/engine.js';
import { findingsSchema } from '../../src/domain/triage/types.js';

const NOW = new Date(2025, 2, 12, 14, 0, 0);
const run = (text: string, extra: Partial<TriageInput> = {}): TriageResult => triage({ text, now: NOW, ...extra });

describe('triage engine: red flags always win', () => {
  it.each([
    ['cardiac_chest_pain', 'crushing chest pain spreading to my jaw and im sweaty', 55],
    ['stroke_signs', 'her face is drooping on one side and her speech is slurred', 70],
    ['breathing_difficulty', 'i cant breathe, struggling to get air', 30],
    ['low_oxygen', 'my oxygen is 88 percent on the finger thing', 60],
    ['anaphylaxis', 'ate peanuts and my tongue is swelling and throat is closing', 20],
    ['severe_bleeding', 'cut my leg and its bleeding heavily, wont stop', 30],
    ['severe_bleeding', 'hit my head, I take warfarin', 70],
    ['altered_consciousness', 'my dad is suddenly confused and doesnt know where he is', 80],
    ['seizure', 'my son just had a seizure', 7],
    ['suicide_risk', 'i want to kill myself', 25],
    ['meningitis_signs', 'fever 39 and a stiff neck, light hurts my eyes', 20],
    ['sepsis_signs', 'fever and chills, my skin is mottled and I havent peed all day', 50],
    ['severe_abdominal_pain', 'worst stomach pain ever, my belly is rigid', 40],
    ['infant_fever', 'my 6 week old has a temp of 38.3', undefined],
    ['child_dehydration', 'my toddler has been vomiting, no wet diapers since morning and no tears', 2],
    ['pregnancy_danger', '30 weeks pregnant with a bad headache and blurry vision', 28],
    ['hypertensive_crisis', 'bp 200/125 and a pounding headache', 60],
    ['hypoglycaemia_not_responding', 'diabetic, sugar 48 and still low after juice', 50],
    ['dka_signs', 'type 1 diabetic, sugar 480, vomiting and fruity breath', 16],
    ['sepsis_signs', 'on chemo and my temp is 38.4', 60],
  ] as const)('%s: "%s"', (_criterion, text, age) => {
    const result = run(text, age !== undefined ? { age } : {});
    expect(result.level).toBe('emergency');
    expect(result.redFlags).toContain(result.rule.id);
    expect(result.advice.join(' ')).toContain('{EMERGENCY_NUMBER}');
    expect(result.followUps).toEqual([]);
  });

  it('adds the crisis line for suicidal thoughts', () => {
    expect(run('been thinking about ending my life').advice.join(' ')).toContain('{CRISIS_LINE}');
  });

  it('reads chest-wall pain with a cold in a young adult by its criteria, not by the word "chest" (NICE CKS)', () => {
    const result = run('sharp chest pain when i cough or press on it, have a cold', { age: 24 });
    expect(result.level).not.toBe('emergency');
    expect(result.rule.id).toMatch(/^cardiac\./);
  });

  it('answers reduced fetal movements as urgent (RCOG: call the maternity unit now) and none at all as an emergency', () => {
    expect(run('im 35 weeks pregnant and the baby is moving less today', { age: 30 }).level).toBe('urgent');
    expect(run('im 35 weeks pregnant and the baby hasnt moved at all since yesterday', { age: 30 }).level).toBe('emergency');
  });
});

describe('triage engine: complaint rules and modifiers', () => {
  it.each([
    ['mild cold for 2 days, runny nose and a bit of a cough', 30, 'self_care'],
    ['sore throat since yesterday, no fever', 25, 'self_care'],
    ['cough for 4 weeks, no fever', 40, 'routine'],
    ['burning when i pee for 2 days, no fever', 30, 'routine'],
    ['burning when i pee with a fever and pain in my side', 30, 'urgent'],
    ['incision is red and oozing pus, had surgery last week', 50, 'urgent'],
    ['my calf is swollen and sore since my knee surgery', 60, 'urgent'],
    ['twisted my ankle, a little swollen but i can walk on it', 20, 'self_care'],
    ['twisted my ankle and cant put weight on it', 20, 'urgent'],
    ['feeling down for weeks, no thoughts of harming myself', 35, 'routine'],
  ] as const)('"%s" (age %s) is %s', (text, age, level) => {
    expect(run(text, { age }).level).toBe(level);
  });

  it('raises a fever for risk groups', () => {
    // NHS: a fever alone in an adult is home care only with nothing else wrong; with nothing said either way, routine.
    expect(run('fever 38.3 since this morning, otherwise fine', { age: 30 }).level).toBe('self_care');
    expect(run('fever 38.3 since this morning', { age: 80 }).level).toBe('urgent');
    expect(run('fever 38.3 since this morning, had surgery 4 days ago', { age: 30 }).level).toBe('urgent');
    expect(run('fever 38.3 since this morning, I take prednisone for my transplant', { age: 30 }).level).toBe('urgent');
    expect(run('my 5 month old has a temp of 39.2').level).toBe('urgent');
    expect(run('my daughter has had a fever for 5 days', { age: 4 }).level).toBe('urgent');
  });

  it('keeps home care for common problems in pregnancy (NHS) but not for an unwell young baby (NICE NG143)', () => {
    expect(run('a bit constipated', { age: 30 }).level).toBe('self_care');
    expect(run('a bit constipated, 20 weeks pregnant', { age: 30 }).level).toBe('self_care');
    expect(run('my 6 week old has a runny nose and is feeding much less than usual').level).not.toBe('self_care');
  });

  it('defaults to routine, never self care, when nothing matches', () => {
    const result = run('can someone call me');
    expect(result.level).toBe('routine');
    expect(result.rule.id).toBe('default.unmatched');
  });
});

describe('triage engine: every result is explained', () => {
  const texts = ['chest pain', 'mild cold', 'rash', 'back pain for 2 months', 'hello', '', 'my baby has a fever', 'no fever no cough'];
  it.each(texts)('"%s" has a rule, a source, a reason and advice', (text) => {
    const result = run(text);
    expect(result.rule.id).toMatch(/\S/);
    expect(result.rule.source).toMatch(/\S/);
    expect(result.rule.because).toMatch(/\S/);
    expect(result.advice.length).toBeGreaterThan(0);
    expect(result.followUps.length).toBeLessThanOrEqual(3);
    expect(findingsSchema.safeParse(result.findings).success).toBe(true);
  });

  it('asks follow-ups that could raise the level, most urgent first, never already answered', () => {
    const result = run('sore throat and cough for 2 days, no fever', { age: 30 });
    const ids = result.followUps.map((question) => question.id);
    expect(ids).toContain('breathing');
    expect(ids).not.toContain('fever');
    for (const question of result.followUps) expect(['emergency', 'urgent', 'routine']).toContain(question.raisesTo);
    expect(result.followUps[0]?.raisesTo).toBe('emergency');
  });

  it('is deterministic', () => {
    const text = 'my 80 yr old dad has a fever of 101 and is a bit confused since yesterday';
    expect(run(text)).toEqual(run(text));
  });
});

describe('triage engine: bad and hostile input', () => {
  it('handles an empty message with routine and a request for detail', () => {
    const result = run('   ');
    expect(result.level).toBe('routine');
    expect(result.rule.id).toBe('default.no_detail');
    expect(result.followUps.map((question) => question.id)).toContain('details');
  });

  it('handles nonsense numbers and odd input without throwing', () => {
    expect(() => run('999/999 temp 1000 o2 is 5 sugar 0 💥 \u0000')).not.toThrow();
    expect(() => triage({ text: 'cough', age: Number.NaN })).not.toThrow();
  });

  it('returns for 50 KB of adversarial text (bounded analysis)', () => {
    const inputs = [
      'chest '.repeat(9000),
      `${'a '.repeat(25_000)}`,
      `${'no '.repeat(10_000)}fever`,
      `${'1'.repeat(50_000)}`,
      `${'bleeding '.repeat(3000)}${'x'.repeat(25_000)}`,
      'my '.repeat(17_000),
    ];
    for (const text of inputs) expect(['emergency', 'urgent', 'routine', 'self_care']).toContain(run(text).level);
  });
});

describe('triage engine: model findings are merged, the more severe wins', () => {
  it('a model can add a red flag the rules missed', () => {
    const extra = findingsSchema.parse({ symptoms: [{ code: 'stiff_neck' }, { code: 'fever' }] });
    expect(run('feeling unwell', { extraFindings: extra }).level).toBe('emergency');
  });

  it('a model cannot remove a finding', () => {
    const extra = findingsSchema.parse({ symptoms: [{ code: 'chest_pain', negated: true }] });
    expect(run('crushing chest pain and sweating', { age: 60, extraFindings: extra }).level).toBe('emergency');
  });

  it('keeps the lower oxygen reading', () => {
    const extra = findingsSchema.parse({ readings: { spo2Pct: 97 } });
    expect(run('o2 is 88', { extraFindings: extra }).findings.readings.spo2Pct).toBe(88);
  });
});

describe('triage engine: regressions found on unseen wording', () => {
  it.each([
    ['my 2 year old has had a fever of 39.5 for 3 days and is drinking less', 'urgent'],
    ['my 2 year old has had a fever of 39.5 for 3 days', 'routine'],
    ['my 7 year old has a temp of 38.2 since yesterday, eating and drinking fine', 'self_care'],
  ])('%s -> %s (NICE NG143 traffic light)', (text, level) => {
    const result = run(text);
    expect(result.level).toBe(level);
    expect(result.rule.id).toMatch(/^children\./);
  });
});

describe('triage engine: breathing wording written with "breath" (the normaliser reads it "breathe")', () => {
  it.each([
    ['can hardly breathe', 'emergency', 'breathing_difficulty'],
    ['fighting for breath', 'emergency', 'breathing_difficulty'],
    ['hard to get my breath', 'urgent', 'shortness_of_breath'],
    ['my dad is fighting for his breath', 'emergency', 'breathing_difficulty'],
    ['i can hardly catch my breath', 'emergency', 'breathing_difficulty'],
    ['she is hardly breathing', 'emergency', 'breathing_difficulty'],
    ['it has been harder to catch my breath on the stairs this week', 'urgent', 'shortness_of_breath'],
    ['cant get my breath since this morning', 'urgent', 'shortness_of_breath'],
    ['he takes 40 breaths a minute', 'emergency', 'fast_breathing'],
  ] as const)('"%s" -> %s (%s)', (text, level, code) => {
    const result = run(text, { age: 45 });
    expect(result.level).toBe(level);
    expect(result.findings.symptoms.find((symptom) => symptom.code === code)?.negated).toBe(false);
  });

  it('still reads a blocked nose as no breathing emergency', () => {
    expect(run('can hardly breathe through my nose with this cold', { age: 30 }).level).not.toBe('emergency');
  });
});

describe('triage engine: a drooping face, a dragging leg and a prolapsed cord in plain words (FAST, RCOG GTG 50)', () => {
  it.each([
    ['her face has slipped to the left side since breakfast', 'face_droop'],
    ['grandads smile has gone to one side and he looks confused', 'face_droop'],
    ['one side of my mums mouth is lower than the other all of a sudden', 'face_droop'],
    ['my husband keeps dragging his right foot since lunch', 'one_sided_weakness'],
    ['her left leg gave way on her twice this evening', 'one_sided_weakness'],
    ['i think i can feel the cord after my waters went', 'cord_prolapse'],
    ['waters broke and theres cord hanging down', 'cord_prolapse'],
  ] as const)('"%s" -> emergency (%s)', (text, code) => {
    const result = run(text, { age: 60 });
    expect(result.level).toBe('emergency');
    expect(result.findings.symptoms.find((symptom) => symptom.code === code)?.negated).toBe(false);
  });

  it('reads waters breaking as a pregnancy, and no cord as no prolapse', () => {
    expect(run('my waters went an hour ago, no cord or anything showing, contractions not started').level).toBe('urgent');
  });
});

it('reads peak flow as a share of the best and applies the BTS/SIGN asthma bands', () => {
  expect(run('asthma, peak flow 140 and my best is 450, wheezy').level).toBe('emergency');
  expect(run('asthma, peak flow 300 and my best is 450, wheezy').level).toBe('urgent');
  expect(run('asthma, peak flow 300 and my best is 450, wheezy').findings.readings.peakFlowPct).toBe(67);
});

it('treats low blood sugar that stays low after juice as an emergency (ADA 15-15 rule not working)', () => {
  expect(run('my sugar is 52 and im shaky and sweaty, had juice but still 55', { age: 60 }).level).toBe('emergency');
});

describe('triage engine: eye complaints and hay fever', () => {
  it.each([
    ['eye is red and really painful and light is bothering it', 'urgent'],
    ['my eye is red and sticky, no pain, vision fine', 'self_care'],
  ])('%s -> %s', (text, level) => expect(run(text).level).toBe(level));

  it('does not read "hay fever" as a fever', () => {
    expect(run('red itchy eyes from hay fever').findings.symptoms.map((s) => s.code)).not.toContain('fever');
  });
});
