import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { answerKind, readAnswer, yesNoPart } from '../../src/domain/symptoms/answers.js';
import { classifyMenuText } from '../../src/domain/symptoms/free-text.js';
import { resultMessages } from '../../src/domain/symptoms/reply.js';
import { SymptomCheckService } from '../../src/domain/symptoms/service.js';
import type { TriageResult } from '../../src/domain/triage/engine.js';
import { findingsSchema, type FollowUpQuestion } from '../../src/domain/triage/types.js';

const settings = { emergencyNumber: '911', crisisLine: '988', clinicPhone: '+15550001234' };
const service = new SymptomCheckService({ alerts: { raise: async () => ({ raised: true }) as never }, settings });

/** Web Chat renders message text with markdown-it 13 and these options (botframework-webchat renderMarkdown). */
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (options: object) => { render(text: string): string };
const webChat = new MarkdownIt({ breaks: false, html: false, linkify: true, typographer: true, xhtmlOut: true });

const question = (id: string, text: string, raisesTo: FollowUpQuestion['raisesTo'] = 'emergency'): FollowUpQuestion =>
  ({ id, question: text, raisesTo }) as FollowUpQuestion;
const MENINGITIS = question('meningitis', 'Is there a stiff neck, a rash that does not fade when you press a glass on it, or does light hurt the eyes?');
const selfCareFever: TriageResult = {
  level: 'self_care',
  redFlags: [],
  findings: findingsSchema.parse({}),
  advice: [
    'Drink plenty of fluids and rest.',
    'Stay home and rest until you feel better.',
    'Get help today if the fever lasts more than 3 days, or if there is a rash, a stiff neck or confusion.',
  ],
  rule: { id: 'fever.uncomplicated', source: 'NHS health A to Z (nhs.uk)', because: 'A fever without warning signs.' },
  followUps: [MENINGITIS],
};

describe('reading a follow-up answer', () => {
  it.each([
    ['yes', 'yes'], ['Yes!', 'yes'], ['yep', 'yes'], ['y', 'yes'], ['👍', 'yes'], ['yes my neck is stiff', 'yes'],
    ['no', 'no'], ['No.', 'no'], ['nope', 'no'], ['none', 'no'], ["I don't think so", 'no'], ['👎', 'no'],
    ['not sure', 'unsure'], ['idk', 'unsure'], ['maybe', 'unsure'], ['no idea', 'unsure'], ['kind of', 'unsure'],
  ] as const)('%j is %s', (text, answer) => {
    expect(readAnswer(text)).toBe(answer);
  });

  it.each(['3', '1', 'what is a stiff neck?', 'can I take ibuprofen?', 'my temp is 39.2', 'hello', ''])('%j is no answer', (text) => {
    expect(readAnswer(text)).toBeUndefined();
  });

  it('tells yes/no questions from open ones, and finds the yes/no part to ask again', () => {
    expect(answerKind(MENINGITIS)).toBe('yes_no');
    expect(answerKind(question('details', 'What symptoms do you have, and when did they start?', 'urgent'))).toBe('open');
    const infant = question('infant_age', 'How old is the baby? Is the baby under 3 months old?');
    expect(answerKind(infant)).toBe('yes_no');
    expect(yesNoPart(infant)).toBe('Is the baby under 3 months old?');
    expect(answerKind({ ...question('x', 'Is it bad?'), answer: 'open' } as FollowUpQuestion)).toBe('open');
  });
});

describe('free text at the menu', () => {
  const kind = (text: string) => classifyMenuText(text, (candidate) => service.describesSymptoms(candidate));
  it.each(['took it', 'ok thanks', 'running 10 min late', 'see you tuesday', '👍', 'took my pain meds', 'Got it, thanks', 'k'])('%j is an acknowledgement', (text) => {
    expect(kind(text)).toBe('ack');
  });
  it.each(['sore throat since monday', 'my temp is 101', 'took my pain meds but my knee still hurts', 'I have a fever and a headache'])('%j names a symptom', (text) => {
    expect(kind(text)).toBe('symptoms');
  });
  // With no symptom the triage rules recognise (whether "I feel awful" names one is the lexicon's call).
  it.each(['not feeling well', 'I feel awful', 'something is wrong'])('%j says the patient is unwell', (text) => {
    expect(classifyMenuText(text, () => false)).toBe('unwell');
  });
  it.each(['hello there', 'I am at the pharmacy', 'no fever today, feeling fine'])('%j is something else', (text) => {
    expect(kind(text)).toBe('other');
  });
});

describe('a raised result speaks for its new level only', () => {
  it('gives the emergency instruction once, drops the home-care tips, and says why in words that agree', () => {
    const raised = service.applyFollowUps(selfCareFever, [{ question: MENINGITIS, answer: 'yes' }]);
    expect(raised.level).toBe('emergency');
    const { advice, why } = resultMessages(raised, settings);
    expect(advice.match(/911/g)).toHaveLength(1);
    expect(advice).toMatch(/^This could be an emergency\. Call 911 now/);
    expect(advice).not.toMatch(/fluids|Stay home/);
    expect(why).toMatch(/^Why: You answered yes to "Is there a stiff neck.*\?" That is a warning sign that needs emergency care now\./);
    expect(why).not.toMatch(/without warning signs|Raised by/);
  });

  it('counts "not sure" as yes and says so; a "no" changes nothing', () => {
    const unsure = service.applyFollowUps(selfCareFever, [{ question: MENINGITIS, answer: 'unsure' }]);
    expect(unsure.level).toBe('emergency');
    expect(unsure.rule.because).toMatch(/You were not sure about .* To be safe, that counts as a yes/);
    expect(service.applyFollowUps(selfCareFever, [{ question: MENINGITIS, answer: 'no' }])).toBe(selfCareFever);
  });

  it('does not repeat the engine\'s own "Call 911 now" line under the headline', () => {
    const emergency: TriageResult = { ...selfCareFever, level: 'emergency', advice: ['Call 911 now, or go to the nearest emergency department. Do not drive yourself.', 'If there is an adrenaline (epinephrine) auto-injector, use it now.'] };
    const { advice } = resultMessages(emergency, settings);
    expect(advice.match(/911/g)).toHaveLength(1);
    expect(advice).toMatch(/auto-injector/);
  });
});

describe('result messages', () => {
  it('render as a list with separate paragraphs in Web Chat, and read as plain lines in SMS', () => {
    const { advice, why } = resultMessages(selfCareFever, settings);
    expect(advice).toBe([
      'This sounds like something you can care for at home.\n- Drink plenty of fluids and rest.\n- Stay home and rest until you feel better.',
      '- Get help today if the fever lasts more than 3 days, or if there is a rash, a stiff neck or confusion.',
    ].join('\n') + '\n\nIf you get worse or feel very unwell, call 911.');
    const html = webChat.render(advice);
    expect(html).toMatch(/<p>This sounds like something you can care for at home\.<\/p>\s*<ul>\s*<li>Drink plenty/);
    expect(html.match(/<li>/g)).toHaveLength(3);
    expect(html).toMatch(/<\/ul>\s*<p>If you get worse or feel very unwell, call 911\.<\/p>/);
    expect(webChat.render(why)).toMatch(/^<p>Why: A fever without warning signs\.<\/p>\s*<p>Source: NHS health A to Z \(<a href="http:\/\/nhs\.uk">nhs\.uk<\/a>\)<\/p>/);
  });

  it('says what a yes would have meant for a warning sign the patient did not answer', () => {
    const { advice } = resultMessages(selfCareFever, settings, [MENINGITIS]);
    expect(advice).toMatch(/I could not tell your answer to "Is there a stiff neck.*\?" If the answer is yes, call 911 now\./);
  });

  it('gives one safety net: none when a tip already says when to call 911', () => {
    const urgent: TriageResult = { ...selfCareFever, level: 'urgent', advice: ['Get seen today: call your care team or doctor now, or go to an urgent care clinic.', 'If it gets worse before you are seen, call 911.'] };
    const { advice } = resultMessages(urgent, settings);
    expect(advice).toBe('You should be seen today. Call your care team (+15550001234) or go to urgent care today.\n- If it gets worse before you are seen, call 911.');
  });
});
