import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_MATCH_MESSAGE, answerQuestion } from '../../src/domain/education/answer.js';
import { DEFAULT_CONTENT_DIR, loadLibrary, splitFrontMatter } from '../../src/domain/education/library.js';

const library = loadLibrary();

/** Flesch-Kincaid grade: 0.39 (words/sentence) + 11.8 (syllables/word) - 15.59. List items count as sentences. */
function fleschKincaidGrade(markdown: string): number {
  const prose = markdown
    .split('\n')
    .filter((line) => !/^#/.test(line))
    .map((line) => line.replace(/^\s*(-|\d+\.)\s+/, ''))
    .join('\n');
  const sentences = prose.split(/[.!?]+\s|[.!?]+$|\n+/).filter((sentence) => /[a-z]/i.test(sentence));
  const words = prose.match(/[a-z]+(?:['\u2019][a-z]+)?/gi) ?? [];
  const syllables = words.reduce((sum, word) => sum + countSyllables(word), 0);
  return 0.39 * (words.length / sentences.length) + 11.8 * (syllables / words.length) - 15.59;
}

function countSyllables(word: string): number {
  const lower = word.toLowerCase().replace(/['\u2019]/g, '');
  if (lower.length <= 3) return 1;
  const trimmed = lower.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, (trimmed.match(/[aeiouy]{1,2}/g) ?? []).length);
}

function wordCount(markdown: string): number {
  return (markdown.match(/[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?/g) ?? []).length;
}

function topArticle(question: string): string | undefined {
  const answer = answerQuestion(library, question);
  return answer.status === 'answered' ? answer.citations[0]?.articleId : undefined;
}

describe('education library content', () => {
  it('has at least 30 articles with unique ids', () => {
    expect(library.articles.length).toBeGreaterThanOrEqual(30);
    expect(new Set(library.articles.map((article) => article.id)).size).toBe(library.articles.length);
  });

  it.each(library.articles.map((article) => [article.id, article] as const))('%s has complete front matter', (_id, article) => {
    expect(article.title.length).toBeGreaterThan(3);
    expect(article.topics.length).toBeGreaterThan(0);
    expect(article.readingLevel).toMatch(/^grade [6-8]$/);
    expect(article.source).toMatch(/^[A-Z0-9][\w &().-]+:/);
    expect(article.reviewedBy).toContain('pending clinician review');
    expect(article.reviewedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(article.version).toMatch(/^\d+\.\d+$/);
    expect(`${article.id}.md`).toBe(article.file);
  });

  it.each(library.articles.map((article) => [article.id, article] as const))('%s is 150-450 words, sectioned, and plain', (_id, article) => {
    const words = wordCount(article.body);
    expect(words).toBeGreaterThanOrEqual(150);
    expect(words).toBeLessThanOrEqual(450);
    expect(article.body).toMatch(/^## When to call/m);
    expect(fleschKincaidGrade(article.body)).toBeLessThanOrEqual(9);
    // No dosing instructions: no "take 500 mg"-style amounts anywhere.
    expect(article.body).not.toMatch(/\btake\s+\d+\s*(mg|milligrams?|ml)\b/i);
  });

  it('reports the reading level', () => {
    const grades = library.articles.map((article) => ({ id: article.id, words: wordCount(article.body), grade: fleschKincaidGrade(article.body) }));
    const average = grades.reduce((sum, entry) => sum + entry.grade, 0) / grades.length;
    console.log(grades.map((entry) => `${entry.id}\t${entry.words}\t${entry.grade.toFixed(1)}`).join('\n'));
    console.log(`average Flesch-Kincaid grade ${average.toFixed(2)}`);
    expect(average).toBeLessThanOrEqual(8);
  });

  it('splits articles into passages by section', () => {
    const woundCare = library.passages.filter((passage) => passage.articleId === 'wound-care').map((passage) => passage.heading);
    expect(woundCare).toEqual(['Overview', 'Keep it clean and dry', 'Showering and bathing', 'Changing your dressing', 'When to call your care team', 'Call 911 if']);
  });
});

describe('loadLibrary validation', () => {
  function libraryWith(files: Record<string, string>): () => unknown {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-education-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return () => loadLibrary(dir);
  }
  const valid = fs.readFileSync(path.join(DEFAULT_CONTENT_DIR, 'sleep.md'), 'utf8');

  it('fails fast naming the file when a field is missing', () => {
    expect(libraryWith({ 'broken.md': valid.replace(/^source:.*\n/m, '') })).toThrow(/broken\.md.*source/s);
  });

  it('fails fast naming the file without front matter', () => {
    expect(libraryWith({ 'bare.md': '# Just a heading\n\nSome text.' })).toThrow(/bare\.md: missing front matter/);
  });

  it('rejects duplicate ids', () => {
    expect(libraryWith({ 'a.md': valid, 'b.md': valid })).toThrow(/b\.md: id "sleep" is also used by a\.md/);
  });

  it('reads inline and block lists', () => {
    const { fields } = splitFrontMatter('---\nid: x\ntopics:\n  - one\n  - "two"\nother: [a, b]\n---\nbody');
    expect(fields).toEqual({ id: 'x', topics: ['one', 'two'], other: ['a', 'b'] });
  });
});

describe('answerQuestion', () => {
  it('answers a red, leaking incision with the wound infection article and when to call', () => {
    const answer = answerQuestion(library, 'my incision is red and leaking, what should I do');
    expect(answer.status).toBe('answered');
    if (answer.status !== 'answered') return;
    expect(['wound-infection', 'wound-care']).toContain(answer.citations[0]?.articleId);
    expect(answer.whenToCall).toMatch(/pus|redness|red/i);
    expect(answer.passages.some((passage) => /^When to call/.test(passage.heading))).toBe(true);
    expect(answer.citations[0]?.source).toMatch(/CDC/);
    expect(answer.dosingQuestion).toBe(false);
  });

  // Patient wording, typos included. Each maps to the article a nurse would point to.
  it.each([
    ['i forgot to take my pills this morning', 'missed-doses'],
    ['when do my staples come out', 'stitches-staples'],
    ['my stiches are pulling and theres pus', 'wound-infection'],
    ['my leg is swollen and my calf hurts', 'blood-clots'],
    ['i feel short of breath after surgery', 'blood-clots'],
    ['my kid has a temprature of 102', 'fever-children'],
    ['my baby is 2 months and feels hot', 'fever-children'],
    ['i have a fever after my operation', 'fever-adults'],
    ['i feel dizzy and my mouth is dry, am i dehydrated', 'hydration'],
    ['i keep throwing up', 'nausea-vomiting'],
    ['i havent pooped in 4 days', 'constipation'],
    ['whats a good bp number', 'high-blood-pressure'],
    ['how do i check my blood presure at home', 'home-blood-pressure'],
    ['my sugar is 55 and im shaky', 'low-blood-sugar'],
    ['what is hypoglycemia', 'low-blood-sugar'],
    ['my glucose is high and im really thirsty', 'high-blood-sugar'],
    ['how should i take care of my feet with diabetes', 'diabetes-foot-care'],
    ['what should i eat to heal', 'healthy-eating'],
    ['when can i drive after surgery', 'activity-after-surgery'],
    ['i cant sleep at night', 'sleep'],
    ['snoring', 'sleep'],
    ['i feel really sad and hopeless', 'mental-health'],
    ['should i go to the er or urgent care', 'where-to-get-care'],
    ['what questions should i ask my doctor', 'talking-to-care-team'],
    ['how do i use my inhaler', 'asthma-inhalers'],
    ['i have a cough and runny nose', 'cough-cold'],
    ['honey for cough', 'cough-cold'],
    ['do i need antibiotics for a cold', 'antibiotics'],
    ['the meds make me feel sick and dizzy', 'side-effects'],
    ['how do i use a pill box', 'pill-organizer'],
    ['is ibuprofen safe for my stomach', 'pain-medicine-safety'],
    ['how do i get rid of leftover oxycodone', 'opioid-safety'],
    ['naloxone', 'opioid-safety'],
    ['is it normal to have a bruise', 'swelling-bruising'],
    ['how do i change my bandage', 'wound-care'],
    ['can i take a bath', 'wound-care'],
    ['how do i remember to take my medicine', 'medicines-on-time'],
    ['my wound smells bad', 'wound-infection'],
    ['hey so my incision kinda looks weird what do i do', 'wound-infection'],
    ['my bp is 185 over 125 and i have a headache', 'high-blood-pressure'],
  ])('"%s" -> %s', (question, articleId) => {
    expect(topArticle(question)).toBe(articleId);
  });

  it.each([
    ["what's the weather"],
    ['who won the game'],
    ['how do I fix my car'],
    ['what time is it'],
    ['where can I park'],
    ['what is the capital of france'],
    ['tell me a joke'],
    ['how do i cook pasta'],
    ['is the pharmacy open on sunday'],
    ['can my dog eat chocolate'],
    ["what's the best phone to buy"],
    ['when is my next appointment'],
    ['where is the nearest gas station'],
    ['can you book me a taxi'],
    ['how do i reset my password'],
    ['recommend a good movie'],
    [''],
  ])('"%s" -> no_match', (question) => {
    const answer = answerQuestion(library, question);
    expect(answer).toMatchObject({ status: 'no_match', message: NO_MATCH_MESSAGE });
  });

  it.each([
    ['how many mg of tylenol can I take', 'pain-medicine-safety'],
    ['can i take 2 of my pills', 'medicines-on-time'],
    ['how often can i take ibuprofen', 'pain-medicine-safety'],
    ['can I take a double dose if I missed one', 'missed-doses'],
    ['whats the max dose of advil', 'pain-medicine-safety'],
  ])('"%s" is flagged as a dosing question with the general safety passage', (question, articleId) => {
    const answer = answerQuestion(library, question);
    expect(answer.status).toBe('answered');
    if (answer.status !== 'answered') return;
    expect(answer.dosingQuestion).toBe(true);
    expect(answer.passages.some((passage) => passage.articleId === 'dose-questions' && passage.heading === 'General safety')).toBe(true);
    expect(answer.citations.map((citation) => citation.articleId)).toContain(articleId);
    expect(answer.passages.map((passage) => passage.text).join(' ')).not.toMatch(/\btake\s+\d+\s*mg\b/i);
  });

  it('does not flag ordinary medicine questions as dosing', () => {
    const answer = answerQuestion(library, 'how do i remember to take my medicine');
    expect(answer.status === 'answered' && answer.dosingQuestion).toBe(false);
  });

  it('adds when-to-call advice only when the question reports a problem', () => {
    const calm = answerQuestion(library, 'how do i change my bandage');
    const worried = answerQuestion(library, 'my bandage is soaked with blood and the cut is leaking');
    expect(calm.status === 'answered' && calm.whenToCall).toBeFalsy();
    expect(worried.status === 'answered' && worried.whenToCall).toMatch(/Bleeding that soaks/);
    expect(worried.status === 'answered' && worried.passages.some((passage) => passage.heading === 'Call 911 if')).toBe(true);
  });

  it('is deterministic', () => {
    const questions = ['my incision is red and leaking', 'how many mg of tylenol can I take', 'fever', 'who won the game'];
    const first = questions.map((question) => answerQuestion(library, question));
    const again = questions.map((question) => answerQuestion(loadLibrary(), question));
    expect(again).toEqual(first);
  });
});
