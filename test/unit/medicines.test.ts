import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_MEDICINES_FILE, answerMedicineQuestion, containsDose, detectToxicity, findMedicines, medicineCatalog,
  parseMedicineCatalog, withoutDoses, type MedicineAnswer,
} from '../../src/domain/medicines/index.js';

const text = (answer: MedicineAnswer | undefined): string => answer?.lines.join(' ') ?? '';
const ids = (message: string): string[] => findMedicines(message).map((mention) => mention.id);

describe('medicine table', () => {
  it('loads as a draft pending review, and every entry names a source the table defines', () => {
    const { table } = medicineCatalog;
    expect(table.status).toMatch(/draft/);
    expect(table.reviewedBy).toBeNull();
    const sources = new Set(table.sources.map((source) => source.id));
    const entries = [...table.classes, ...table.medicines, ...table.pregnancy, ...table.interactions, ...table.toxicity];
    for (const entry of entries) expect(sources.has(entry.source), entry.id).toBe(true);
    expect(table.medicines.length).toBeGreaterThan(100);
  });

  it('refuses a table with a broken reference or a digit in patient text, naming the problem', () => {
    const raw = parse(fs.readFileSync(DEFAULT_MEDICINES_FILE, 'utf8'));
    const unknownSource = structuredClone(raw);
    unknownSource.medicines[0].source = 'nowhere';
    expect(() => parseMedicineCatalog(JSON.stringify(unknownSource), 'test table')).toThrow(/medicine doxycycline: unknown source "nowhere"/);
    const dose = structuredClone(raw);
    dose.pregnancy[0].reason = 'take no more than 200 mg';
    expect(() => parseMedicineCatalog(JSON.stringify(dose), 'test table')).toThrow(/must not contain digits/);
    const clash = structuredClone(raw);
    clash.medicines[1].brands.push('doryx');
    expect(() => parseMedicineCatalog(JSON.stringify(clash), 'test table')).toThrow(/"doryx" is given to both doxycycline and minocycline/);
  });
});

describe('findMedicines', () => {
  it('reads brands, other names, misspellings, typos and case', () => {
    expect(ids('Is VIBRAMYCIN ok?')).toEqual(['doxycycline']);
    expect(ids('my doc put me on sodium valproate')).toEqual(['valproate']);
    expect(ids('what about sertralin and metronidazol')).toEqual(['sertraline', 'metronidazole']);
    expect(ids("I take St. John's wort")).toEqual(['st-johns-wort']);
    expect(ids('acetominophen or Tylenol')).toEqual(['paracetamol']);
    expect(ids('is my blood thinner a problem')).toEqual(['anticoagulants']);
  });

  it('marks denied and stopped medicines', () => {
    const mentions = findMedicines("I'm not on warfarin. I stopped lithium last month");
    expect(mentions.map((mention) => [mention.id, mention.status])).toEqual([['warfarin', 'negated'], ['lithium', 'stopped']]);
  });

  it('leaves ordinary words alone', () => {
    expect(ids('the creator of this app is accurate and I feel restored after a morning walk')).toEqual([]);
  });
});

describe('answerMedicineQuestion: pregnancy', () => {
  it.each([
    'im pregnant can i still take my vibramycin',
    'Is Doryx safe when you are expecting a baby?',
    "I'm 10 weeks pregnant and my dermatologist gave me Solodyn",
    'pregant and taking minocin for acne',
    'can I use Tetralysal during pregnancy',
  ])('tells a pregnant patient to avoid a tetracycline: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('avoid');
    expect(text(answer)).toMatch(/prescriber/);
  });

  it.each([
    'I just found out I am pregnant and I am on Roaccutane',
    'trying to conceive, is absorica a problem',
    'does claravis matter if I get pregnant',
  ])('tells a patient to avoid isotretinoin: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('avoid');
    expect(text(answer)).toMatch(/stop and contact your prescriber today/);
  });

  it.each(['pregnant and on Depakote for seizures', "we're trying for a baby, I take epilim", 'Im expecting twins and take sodium valproate'])(
    'warns about valproate without telling her to stop on her own: %s',
    (message) => {
      const answer = answerMedicineQuestion(message);
      expect(answer?.kind).toBe('avoid');
      expect(text(answer)).toMatch(/do not stop it on your own/);
      expect(text(answer)).toMatch(/prescriber today/);
    },
  );

  it('uses the record, and lets the message correct it', () => {
    expect(answerMedicineQuestion('can I take doxycycline', { pregnant: true })?.kind).toBe('avoid');
    expect(answerMedicineQuestion("I'm not pregnant any more, can I take doxycycline", { pregnant: true })?.kind).toBe('ask_pharmacist');
  });

  it.each(["I'm not pregnant, can I take doxycycline?", 'not pregnant or breastfeeding - minocycline ok?', 'negative pregnancy test, is lymecycline fine'])(
    'gives no pregnancy warning when pregnancy is denied: %s',
    (message) => {
      const answer = answerMedicineQuestion(message);
      expect(answer?.kind).toBe('ask_pharmacist');
      expect(text(answer)).not.toMatch(/pregnan/);
    },
  );

  it('keeps the prescribed low-dose aspirin advice apart from the NSAID rule', () => {
    const answer = answerMedicineQuestion('pregnant, midwife said baby aspirin');
    expect(answer?.kind).toBe('warn');
    expect(text(answer)).toMatch(/keep taking it as they told you/);
  });
});

describe('answerMedicineQuestion: interactions', () => {
  it.each(['can I have a beer on flagyl', 'is it ok to drink while taking metronidazole?', 'glass of wine with metronidazol tonight?'])(
    'warns clearly about alcohol with metronidazole: %s',
    (message) => {
      const answer = answerMedicineQuestion(message);
      expect(answer?.kind).toBe('warn');
      expect(text(answer)).toMatch(/Do not drink alcohol while you take metronidazole/);
    },
  );

  it('does not read water as alcohol', () => {
    expect(text(answerMedicineQuestion('should I drink water with metronidazole'))).not.toMatch(/alcohol/);
  });

  it('warns about an NSAID with a blood thinner, named in the message or known from the record', () => {
    expect(answerMedicineQuestion('can i take advil with my xarelto')?.kind).toBe('warn');
    expect(text(answerMedicineQuestion('can i take ibuprofen', { medicines: ['Eliquis'] }))).toMatch(/bleeding/);
    expect(text(answerMedicineQuestion("I don't take warfarin, can I take ibuprofen?"))).not.toMatch(/bleeding/);
  });

  it('reports the triple whammy once, not also as its pairs', () => {
    const answer = answerMedicineQuestion('is it ok to take nurofen with my ramipril and furosemide');
    expect(answer?.lines.filter((line) => /kidney/.test(line))).toHaveLength(1);
  });
});

describe('toxicity', () => {
  it.each(['on lithium and my hands have a bad tremor and I feel confused', 'Priadel - shaky, wobbly on my feet and being sick'])(
    'calls lithium toxicity an emergency: %s',
    (message) => {
      const answer = answerMedicineQuestion(message);
      expect(answer?.kind).toBe('emergency');
      expect(text(answer)).toMatch(/lithium toxicity.*\{EMERGENCY_NUMBER\}/);
      expect(text(answer)).toMatch(/\{POISON_CONTROL\}/);
    },
  );

  it('calls serotonin syndrome an emergency', () => {
    const answer = answerMedicineQuestion('took sertraline and tramadol today, now running a fever and my legs are jerking');
    expect(answer?.kind).toBe('emergency');
    expect(text(answer)).toMatch(/serotonin syndrome/);
  });

  it('does not call flu on an SSRI serotonin syndrome, but does not miss a reported overdose phrased as a question', () => {
    expect(detectToxicity("I'm on sertraline and have the flu, fever and shivering")).toEqual([]);
    expect(detectToxicity('what should i do i took too many paracetamol')[0]?.level).toBe('emergency');
  });

  it('does not count denied, resolved or hypothetical signs', () => {
    expect(detectToxicity('on lithium, no tremor and not confused')).toEqual([]);
    expect(detectToxicity("I'm confused about my lithium dose")).toEqual([]);
    expect(detectToxicity('what happens if you take too much paracetamol')).toEqual([]);
  });

  it('finds toxicity for the triage engine from the medication list', () => {
    const [finding] = detectToxicity('my hands are shaking and I am confused', { medicines: ['lithium'] });
    expect(finding).toMatchObject({ id: 'lithium-toxicity', level: 'emergency' });
    expect(finding?.source).toMatch(/NHS/);
  });

  it('treats a staggered paracetamol overdose without symptoms as an emergency', () => {
    const answer = answerMedicineQuestion('been taking more than the max of tylenol for a few days, feel fine');
    expect(answer?.kind).toBe('emergency');
    expect(text(answer)).toMatch(/even if you feel well/);
  });
});

describe('answers never state a dose', () => {
  const situations = ['can I take {m}?', 'pregnant, is {m} ok', 'breastfeeding and on {m}', 'trying for a baby on {m}',
    'how many mg of {m} can I take', '{m} with alcohol?', '{m} with ibuprofen, warfarin, sertraline and grapefruit',
    'on {m}, tremor and confused, fever and jerking, slow pulse, took too much, cant wake him, sugar low wont come up, dark pee',
    '{m}: mouth ulcers, black poo, muscle pain, very sleepy, vomiting'];

  it('holds for every medicine and class in the table, in every kind of answer', () => {
    const { table } = medicineCatalog;
    const names = [...table.medicines.map((entry) => entry.name ?? entry.id), ...table.classes.flatMap((entry) => entry.aliases)];
    const kinds = new Set<string>();
    for (const name of names) {
      for (const situation of situations) {
        const answer = answerMedicineQuestion(situation.replace('{m}', name));
        if (!answer) continue;
        kinds.add(answer.kind);
        for (const line of answer.lines) expect(containsDose(line), line).toBe(false);
      }
    }
    expect([...kinds].sort()).toEqual(['ask_pharmacist', 'avoid', 'emergency', 'warn']);
  });

  it('the guard catches doses and drops the line', () => {
    for (const dose of ['500mg', '1-2 tablets', 'two tablets', '10 ml', '5 mcg', '2 pills', '3 times a day', '20 units', 'every 4 hours', '1 g'])
      expect(containsDose(`take ${dose}`), dose).toBe(true);
    expect(containsDose('for at least two days after your last dose')).toBe(false);
    expect(withoutDoses(['Take 400 mg.', 'Ask your pharmacist.'])).toEqual(['Ask your pharmacist.', expect.stringMatching(/pharmacist/)]);
  });
});

describe('no reviewed rule', () => {
  it('sends a medicine we do not list to the pharmacist', () => {
    const answer = answerMedicineQuestion('can I take amlodipine with my dinner');
    expect(answer).toMatchObject({ kind: 'ask_pharmacist', medicines: ['unlisted:amlodipine'] });
    expect(text(answer)).toMatch(/pharmacist/);
  });

  it('returns undefined when no medicine is named, alcohol alone included', () => {
    expect(answerMedicineQuestion('what time does the clinic open')).toBeUndefined();
    expect(answerMedicineQuestion('is it ok to have a beer tonight')).toBeUndefined();
  });
});
