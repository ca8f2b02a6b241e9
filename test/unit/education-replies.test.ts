import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerQuestion, NO_MATCH_MEDICINE_MESSAGE } from '../../src/domain/education/answer.js';
import { EducationService, type MedicineAnswerer } from '../../src/domain/education/ask.js';
import { chatText, sourceLine } from '../../src/domain/education/format.js';
import { loadLexicon } from '../../src/domain/education/lexicon.js';
import { DEFAULT_CONTENT_DIR, loadLibrary } from '../../src/domain/education/library.js';

const library = loadLibrary();
const education = new EducationService({ library, medicines: null });

describe('source line', () => {
  const pending = { reviewedBy: 'CareLoop clinical content draft — pending clinician review', reviewedOn: '2026-11-25' };
  const reviewed = { reviewedBy: 'Dr A. Nurse, RN', reviewedOn: '2026-05-01' };

  it('names the library and each title once, with one date and no versions', () => {
    expect(sourceLine([{ title: 'Caring for your wound', ...reviewed }])).toBe('Source: CareLoop library, "Caring for your wound" (reviewed 2026-05-01).');
    expect(sourceLine([{ title: 'A', ...pending }, { title: 'A', ...pending }, { title: 'B', ...pending }])).toBe('Source: CareLoop library, "A" and "B" (updated 2026-11-25).');
  });

  it('dates each title when the dates differ, and never claims a review that is pending', () => {
    expect(sourceLine([{ title: 'A', ...reviewed }, { title: 'B', ...pending }, { title: 'C', ...reviewed }]))
      .toBe('Source: CareLoop library, "A" (reviewed 2026-05-01), "B" (updated 2026-11-25) and "C" (reviewed 2026-05-01).');
  });
});

describe('list-friendly replies', () => {
  it('keeps list items as "- " lines and steps as numbered lines', () => {
    expect(chatText('Call if you notice:\n- Redness that spreads\n* Pus\n\n1. Wash your hands.\n2) Dry it.')).toBe('Call if you notice:\n- Redness that spreads\n- Pus\n1. Wash your hands.\n2. Dry it.');
  });

  it('joins wrapped prose, keeps paragraphs apart for markdown, and cuts long lists at a whole item', () => {
    expect(chatText('One line\nwrapped here.')).toBe('One line wrapped here.');
    // Without the blank line, markdown would read the paragraph as part of the last list item.
    expect(chatText('Heading\n\nText.\n- item\nMore text.')).toBe('Heading\n\nText.\n- item\n\nMore text.');
    const long = chatText(Array.from({ length: 40 }, (_, i) => `- item number ${i}`).join('\n'), 120);
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long.split('\n').slice(0, -1).every((line) => /^- item number \d+$/.test(line))).toBe(true);
    expect(long.endsWith('\n…')).toBe(true);
  });
});

describe('EducationService replies', () => {
  it('answers a problem now with what to do, when to call, and a readable source', async () => {
    const replies = await education.ask('what do i do if my sugar is low now');
    const text = replies.join('\n');
    expect(text).toMatch(/^What to do: the 15-15 rule\n1\. Check your blood sugar/m);
    expect(text).toMatch(/^When to call your care team\n/m);
    expect(text).toMatch(/^Call 911 if\n- /m);
    expect(replies.at(-1)).toBe('Source: CareLoop library, "Low blood sugar and what to do" (updated 2026-11-25).');
    expect(text).not.toMatch(/v1\.0/);
  });

  it('shows when to call for a red, leaking incision, and only the articles it showed in the source', async () => {
    const replies = await education.ask('my incision is red and leaking');
    expect(replies.join('\n')).toMatch(/When to call your care team\n.*(red|pus)/is);
    expect(replies.at(-1)).toMatch(/^Source: CareLoop library, "Signs of a wound infection" \(updated \d{4}-\d{2}-\d{2}\)\.$/);
  });

  it('does not add when-to-call to a calm question', async () => {
    const replies = await education.ask('how do i change my bandage');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/^Changing your dressing\n/);
    expect(replies[0]).toMatch(/\n1\. Wash your hands\.\n2\. /);
  });

  it('answers questions about emergencies from the library', async () => {
    expect((await education.ask('what are the signs of a stroke?')).join('\n')).toMatch(/Face: one side of the face droops[\s\S]*Source: CareLoop library, "Signs of an emergency/);
    expect((await education.ask('when should I call 911 after surgery?'))[0]).toMatch(/^Call 911 after surgery if\n/);
  });

  it('says "ask your pharmacist" for a medicine no article is about, and "care team" for a pet', async () => {
    expect(await education.ask("I'm pregnant, can I take doxycycline?")).toEqual([NO_MATCH_MEDICINE_MESSAGE]);
    expect(await education.ask("my dog's stitches are coming out")).toEqual(["I don't know. Please ask your care team."]);
  });

  it('puts this deployment\'s emergency number in place of the articles\' 911', async () => {
    const abroad = new EducationService({ library, medicines: null, settings: { emergencyNumber: '112', crisisLine: '116 123' } });
    const text = (await abroad.ask('my incision is red and leaking')).join('\n');
    expect(text).toMatch(/Call 112 if/);
    expect(text).not.toMatch(/911/);
  });
});

describe('medicine-safety rules answer first', () => {
  const rules: MedicineAnswerer = (text, context) => {
    if (/doxycycline/i.test(text) && context?.pregnant) {
      return { kind: 'avoid', lines: ['Do not take doxycycline while pregnant.', 'If you took a lot, call {EMERGENCY_NUMBER} or {POISON_CONTROL}.'], source: 'BNF: doxycycline', medicines: ['doxycycline'] };
    }
    const named = /\b(advil|amoxicillin)\b/i.exec(text)?.[1];
    return named ? { kind: 'ask_pharmacist', lines: [`Please ask your pharmacist about ${named}.`], source: 'CareLoop medicine table', medicines: [named] } : undefined;
  };
  const withRules = new EducationService({ library, medicines: rules, settings: { emergencyNumber: '112' } });

  it('replies with the rules\' specific advice and source, placeholders filled', async () => {
    expect(await withRules.ask('can I take doxycycline', { pregnant: true })).toEqual([
      'Do not take doxycycline while pregnant.',
      'If you took a lot, call 112 or 1-800-222-1222.',
      'Source: BNF: doxycycline.',
    ]);
  });

  it('prefers the library to a general "ask your pharmacist" when an article is about the question', async () => {
    expect((await withRules.ask('is it safe to take advil on an empty stomach')).join('\n')).toMatch(/with food or milk[\s\S]*"Using pain medicine safely"/);
    expect(await withRules.ask('can i take amoxicillin with milk')).toEqual(['Please ask your pharmacist about amoxicillin.', 'Source: CareLoop medicine table.']);
  });

  it('falls through to the library when the rules have nothing to say', async () => {
    expect((await withRules.ask('how do i change my bandage')).at(-1)).toMatch(/^Source: CareLoop library, "Caring for your wound after surgery"/);
  });

  it('uses src/domain/medicines by default', async () => {
    const replies = await new EducationService({ library }).ask("I'm pregnant, can I take doxycycline?", { pregnant: true });
    expect(replies[0]).toMatch(/doxycycline/i);
    expect(replies.at(-1)).toMatch(/^Source: /);
    expect(replies.join('\n')).not.toMatch(/I don't know|\{[A-Z_]+\}/);
  });
});

describe('subject vocabulary', () => {
  const lexicon = library.lexicon;

  it('reads subjects by their longest phrase, plurals and possessives included', () => {
    expect(lexicon.read('signs of a heart attack').subjects.map((s) => s.id)).toEqual(['heart-attack']);
    expect(lexicon.read("my staples and my kid's allergies").subjects.map((s) => s.id)).toEqual(['stitches', 'allergy']);
    expect(lexicon.read('when can I go back to work').subjects).toEqual([]);
    expect(lexicon.read('is levetiracetamol a thing').subjects).toEqual([]);
    expect(lexicon.read('can i take metoprolol').subjects.map((s) => s.id)).toEqual(['metoprolol']);
    expect(lexicon.read('can i take bisoprolol').subjects.map((s) => s.id)).toEqual(['unlisted-medicine:bisoprolol']);
  });

  it('tells a pet or a thing the question is about from one the patient only uses', () => {
    expect(lexicon.read('my dog has a fever').nonPatient).toBe('dog');
    expect(lexicon.read('my car is overheating').nonPatient).toBe('car');
    expect(lexicon.read('when can I drive my car after surgery').nonPatient).toBeUndefined();
    expect(lexicon.read('keep pills away from kids and pets').nonPatient).toBeUndefined();
    expect(lexicon.read('I need a CAT scan').nonPatient).toBeUndefined();
    expect(answerQuestion(library, 'when can I drive my car after surgery')).toMatchObject({ status: 'answered', citations: [{ articleId: 'activity-after-surgery' }] });
  });

  it('fails fast on a phrase listed twice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-lexicon-'));
    const data = JSON.parse(fs.readFileSync(path.join(DEFAULT_CONTENT_DIR, 'subjects', 'en.json'), 'utf8')) as { subjects: { body: Record<string, string[]> } };
    data.subjects.body.knee = ['knee', 'ankle'];
    fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify(data));
    expect(() => loadLexicon(path.join(dir, 'en.json'))).toThrow(/en\.json: "ankle" is listed twice/);
  });
});

describe('article subject fields', () => {
  const valid = fs.readFileSync(path.join(DEFAULT_CONTENT_DIR, 'sleep.md'), 'utf8');
  const libraryWith = (text: string) => () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-education-'));
    fs.writeFileSync(path.join(dir, 'sleep.md'), text);
    return loadLibrary(dir);
  };

  it('rejects an about naming an unknown subject, and a doNow naming no section', () => {
    expect(libraryWith(valid.replace('version: "1.0"', 'version: "1.0"\nabout: [sleep, moonwalking]'))).toThrow(/sleep\.md: about names unknown subjects moonwalking/);
    expect(libraryWith(valid.replace('version: "1.0"', 'version: "1.0"\ndoNow: "Count sheep"'))).toThrow(/sleep\.md: doNow names no section "Count sheep"/);
  });

  it('covers what the title, topics, headings and about name', () => {
    const woundCare = library.articles.find((article) => article.id === 'wound-care');
    expect(woundCare?.subjects).toEqual(expect.arrayContaining(['wound', 'stitches', 'emergency']));
  });
});

describe('dose questions another article answers', () => {
  it('shows the missed-dose rule before the general safety advice, and cites both', async () => {
    const replies = await education.ask('i skipped my evening tablet, can i take two in the morning');
    expect(replies[0]).toMatch(/Never take two doses at once/);
    expect(replies).toContain('For how much or how often to take a medicine, ask your pharmacist or care team. They know your medicines.');
    expect(replies.at(-1)).toMatch(/"What to do if you miss a dose"/);
    expect(replies.at(-1)).toMatch(/"Questions about how much medicine to take"/);
    expect(replies.join(' ')).not.toMatch(/\b\d[\d,]*\s*mg\b/i);
  });
});

describe('lay words for an article subject', () => {
  it.each([
    ['the poo', 'my poos are hard since the op', 'bowel'],
    ['paper stitches', 'the paper stitches are peeling', 'stitches'],
    ['an op scar', 'my op scar itches', 'wound'],
    ['a dosette box', 'how do i fill my dosette box', 'pill-organizer'],
    ['a spacer by brand', 'how do i clean my aerochamber', 'inhaler'],
    ['not dropping off', 'i cant drop off at night', 'sleep'],
    ['a tattoo', 'my new tattoo is sore', 'body-art'],
  ])('reads %s', (_name, text, subject) => {
    expect(library.lexicon.read(text).subjects.map((mention) => mention.id)).toContain(subject);
  });
});
