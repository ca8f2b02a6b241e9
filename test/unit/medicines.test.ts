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

describe('planning a pregnancy counts for medicines to stop or switch before conception', () => {
  it.each([
    ['trying for a baby - is my minocyline ok to carry on with', /prescriber today/],
    ['me and my partner are ttc, anything i need to know about roaccutane?', /stop and contact your prescriber today/],
    ['we want to start a family. i take depakote for bipolar, what do i do', /do not stop it on your own/],
    ['trying for baby no 2, on methotrexate once a week for my RA, can i keep taking it', /prescriber today/],
    ['planning pregnancy next year, is it safe to stay on warfarin', /do not stop it on your own/],
    ['we want another baby and im on ramipril for blood pressure', /prescriber today/],
    ['hoping to conceive soon, I take cellcept after my transplant', /do not stop it on your own/],
    ['just got a positive test!! on leflunomide for arthritis', /prescriber today/],
    ['found out im pregant this morning, still on topamax for migraines', /do not stop it on your own/],
    ['wanting a baby, on sodium valproate for epilepsy - can I keep taking it', /do not stop it on your own/],
    ['bfp today, i use lisinopril', /prescriber today/],
  ])('%s', (message, line) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('avoid');
    expect(text(answer)).toMatch(line);
  });

  it('does not read planning where it is denied or where a test is about something else', () => {
    expect(answerMedicineQuestion('we are not trying for a baby, is doxycycline ok')?.kind).toBe('ask_pharmacist');
    expect(answerMedicineQuestion('positive covid test, can i take paracetamol')?.kind).toBe('ask_pharmacist');
  });
});

describe('nicknames and short forms', () => {
  it.each([
    'had a couple of pints last night and im on metro',
    'on metro gel for BV, had a drink tonight is that bad',
    'can i have a glass of wine with my metro tablets',
    'metro and a few beers at the weekend?',
    'i drank wine yesterday, still taking metros',
  ])('warns about alcohol with metronidazole: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('warn');
    expect(text(answer)).toMatch(/Do not drink alcohol while you take metronidazole/);
  });

  it('keeps the train apart from the tablet', () => {
    expect(ids('took the metro to the pharmacy')).toEqual([]);
    expect(ids('is the metro station near you')).toEqual([]);
  });

  it.each([
    'can i take aleve, im on eliquis',
    'naproxin with my apixaban ok?',
    'voltarol gel and xarelto',
    'is celebrex safe with pradaxa',
    'mobic for my knee, on warfrin',
    'ibruprofen and lixiana together?',
  ])('warns about an NSAID with a blood thinner: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('warn');
    expect(text(answer)).toMatch(/bleeding/);
  });
});

describe('toxicity pictures with vital signs and course', () => {
  const noNumber = (answer: MedicineAnswer | undefined): void => {
    for (const line of answer?.lines ?? []) {
      expect(line, line).not.toMatch(/[0-9]/);
      expect(containsDose(line), line).toBe(false);
    }
  };

  it.each([
    'on digoxin, been vomiting, everything looks yellow and my pulse is 42',
    'mum takes lanoxin, being sick and seeing green, heart rate 40s',
    'digoxin - pulse is down to 38',
    'dad on digoxin feels sick and his pulse is only 55',
    'digoxin, 44 bpm and dizzy',
  ])('digoxin toxicity is an emergency: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('emergency');
    expect(text(answer)).toMatch(/digoxin toxicity/);
    noNumber(answer);
  });

  it('does not call a normal pulse on digoxin toxicity', () => {
    expect(detectToxicity('on digoxin, pulse 72 and feel fine')).toEqual([]);
  });

  it.each([
    'been taking 12 a day of paracetamol for 4 days for toothache',
    'had about 10 tylenol a day since monday, feel ok',
    'co-codamol 12 tablets per day for a week and now pain under my right ribs',
    'ive been doubling up on paracetamol for days, pain under the right ribs and being sick',
    'panadol - more than the daily max for 3 days, right side under my ribs hurts',
  ])('staggered paracetamol overdose is an emergency: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('emergency');
    expect(text(answer)).toMatch(/paracetamol overdose.*even if you feel well/);
    noNumber(answer);
  });

  it('does not read a normal daily amount, or millilitres, as an overdose', () => {
    expect(detectToxicity('paracetamol 2 tablets 4 times a day, is that ok')).toEqual([]);
    expect(detectToxicity('i take 8 paracetamol a day for my back')).toEqual([]);
    expect(detectToxicity('calpol 10 ml a day for my son')).toEqual([]);
  });

  it.each([
    "on gliclazide, sugar 2.5 and it won't come up after juice, sweating and confused",
    'insulin - bm 2.1 even after treating it twice, really sweaty',
    'glimepiride, sugars still low after jelly babies and shes not making sense',
    'my glipizide hypo wont budge, clammy and shaky',
    'taking lantus, glucose is 45 and still dropping',
  ])('low sugar that does not come up is an emergency: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('emergency');
    expect(text(answer)).toMatch(/low blood sugar/);
    noNumber(answer);
  });

  it('does not call a normal or high sugar a hypo', () => {
    expect(detectToxicity('gliclazide, sugar 6.5 this morning')).toEqual([]);
    expect(detectToxicity("on insulin my sugar is 15 and won't come down")).toEqual([]);
  });

  it.each([
    "on atorvastatin, severe muscle pain, can't get up off the chair and my pee is cola coloured",
    'simvastatin - legs so weak i cant stand up and urine is really dark',
    'crestor, muscles are killing me and my wee looks like coke',
    'been on lipitor, aching all over and brown pee',
    'statin, thighs hurt, cant get out of bed, urine dark like tea',
  ])('statin muscle damage with dark urine is an emergency: %s', (message) => {
    const answer = answerMedicineQuestion(message);
    expect(answer?.kind).toBe('emergency');
    expect(text(answer)).toMatch(/rhabdomyolysis/);
  });

  it('keeps the reported number out of the finding', () => {
    const [finding] = detectToxicity('pulse is 42', { medicines: ['digoxin'] });
    expect(finding?.level).toBe('emergency');
    expect(finding?.because).not.toMatch(/[0-9]/);
  });
});
