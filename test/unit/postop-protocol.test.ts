import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_FACTS } from '../../src/domain/escalation/events.js';
import { POSTOP_FACTS, mergeFacts } from '../../src/domain/postop/facts.js';
import { compilePhrases, isPhrase } from '../../src/domain/postop/phrases.js';
import { loadDefaultProtocol, loadProtocolFile, protocolSchema, questionsForDay } from '../../src/domain/postop/protocol.js';

/** A small valid protocol to break one field at a time. */
function minimal(): Record<string, unknown> {
  return {
    status: 'draft, pending clinician review',
    id: 'test-protocol',
    version: 1,
    sources: { nhs: 'NHS recovering from an operation' },
    days: [1, 3],
    sendHour: '09:30',
    questions: [
      { id: 'pain', kind: 'scale_0_10', fact: 'pain', text: 'Pain 0-10?', source: 'nhs' },
      {
        id: 'redness', kind: 'choice', fact: 'redness', text: 'Red? Reply NO, YES or SPREADING.', ifNo: 'none', ifYes: 'present',
        options: [{ id: 'none', words: ['dry'] }, { id: 'present', words: ['red'] }, { id: 'spreading', words: ['spread*'] }],
      },
    ],
  };
}

function issuesOf(data: unknown): string[] {
  const parsed = protocolSchema.safeParse(data);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function withQuestion(change: (question: Record<string, unknown>) => void, index = 1): Record<string, unknown> {
  const data = minimal();
  change((data.questions as Record<string, unknown>[])[index]!);
  return data;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-postop-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeProtocol(name: string, data: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, stringify(data));
  return file;
}

describe('post-op protocol schema', () => {
  it('accepts a minimal protocol', () => {
    expect(issuesOf(minimal())).toEqual([]);
  });

  it.each([
    ['an unknown key', (data: Record<string, unknown>) => Object.assign(data, { colour: 'blue' }), '(root)'],
    ['a send hour that is no time of day', (data: Record<string, unknown>) => Object.assign(data, { sendHour: '25:00' }), 'sendHour'],
    ['days out of order', (data: Record<string, unknown>) => Object.assign(data, { days: [3, 1] }), 'days'],
    ['a day twice', (data: Record<string, unknown>) => Object.assign(data, { days: [1, 1] }), 'days'],
    ['a day past a year', (data: Record<string, unknown>) => Object.assign(data, { days: [1, 400] }), 'days.1'],
    ['no questions', (data: Record<string, unknown>) => Object.assign(data, { questions: [] }), 'questions'],
  ])('refuses %s', (_name, change, field) => {
    expect(issuesOf(change(minimal())).map((issue) => issue.split(':')[0])).toContain(field);
  });

  it.each([
    ['a question kind it does not know', (question: Record<string, unknown>) => Object.assign(question, { kind: 'slider' }), 'questions.1.kind'],
    ['a fact escalation does not read', (question: Record<string, unknown>) => Object.assign(question, { fact: 'mood' }), 'questions.1.fact'],
    ['a yes/no question recording a choice fact', (question: Record<string, unknown>) => {
      for (const key of ['options', 'ifNo', 'ifYes']) delete question[key];
      Object.assign(question, { kind: 'yes_no', normal: 'no' });
    }, 'questions.1.fact'],
    ['an option that is not a value of the fact', (question: Record<string, unknown>) => (question.options as Record<string, unknown>[]).push({ id: 'purple', words: ['purple'] }), 'questions.1.options.3.id'],
    ['an option set to a wrong value', (question: Record<string, unknown>) => Object.assign((question.options as Record<string, unknown>[])[0]!, { sets: { bleeding: 'lots' } }), 'questions.1.options.0.id'],
    ['ifYes naming no option', (question: Record<string, unknown>) => Object.assign(question, { ifYes: 'maybe' }), 'questions.1.ifYes'],
    ['an option nothing can choose', (question: Record<string, unknown>) => Object.assign((question.options as Record<string, unknown>[])[2]!, { words: [] }), 'questions.1.options.2'],
    ['a regular expression as a phrase', (question: Record<string, unknown>) => Object.assign((question.options as Record<string, unknown>[])[1]!, { words: ['red.*(streak)+'] }), 'questions.1.options.1.words.0'],
    ['a phrase that can match nothing', (question: Record<string, unknown>) => Object.assign((question.options as Record<string, unknown>[])[1]!, { words: ['red?'] }), 'questions.1.options.1.words.0'],
    ['a question day outside the protocol days', (question: Record<string, unknown>) => Object.assign(question, { days: [2] }), 'questions.1.days'],
    ['a source the protocol does not list', (question: Record<string, unknown>) => Object.assign(question, { source: 'blog' }), 'questions.1.source'],
    ['a question longer than two SMS', (question: Record<string, unknown>) => Object.assign(question, { text: 'x'.repeat(321) }), 'questions.1.text'],
    ['a duplicate question id', (question: Record<string, unknown>) => Object.assign(question, { id: 'pain' }), 'questions.1.id'],
  ])('refuses %s', (_name, change, field) => {
    expect(issuesOf(withQuestion(change)).map((issue) => issue.split(':')[0])).toContain(field);
  });

  it('refuses a scale question recording anything but pain, and a temperature recording anything but temperature_c', () => {
    expect(issuesOf(withQuestion((question) => Object.assign(question, { fact: 'swelling' }), 0))).toContain('questions.0.fact: a scale_0_10 question cannot record swelling');
    expect(issuesOf(withQuestion((question) => Object.assign(question, { kind: 'temperature', fact: 'pain' }), 0))).toContain('questions.0.fact: a temperature question cannot record pain');
  });
});

describe('post-op protocol files', () => {
  it('loads the default protocol: a draft, the default days, short questions', () => {
    const protocol = loadDefaultProtocol();
    expect(protocol.status).toMatch(/^draft, pending clinician review/);
    expect(protocol.days).toEqual([1, 2, 3, 5, 7, 10, 14, 21, 30]);
    expect(protocol.sendHour).toMatch(/^\d\d:\d\d$/);
    for (const question of protocol.questions) {
      expect(question.text.length, question.id).toBeLessThan(160);
      expect(question.reprompt?.length ?? 0, question.id).toBeLessThan(160);
      expect(question.text, question.id).toMatch(/Reply|send/i);
    }
    const recorded = new Set(protocol.questions.flatMap((question) => (question.kind === 'choice' ? question.options.flatMap((option) => Object.keys(option.sets ?? { [question.fact]: option.id })) : [question.fact])));
    expect([...recorded].sort()).toEqual(Object.keys(POSTOP_FACTS).sort());
  });

  it('asks the photo only on its days', () => {
    const protocol = loadDefaultProtocol();
    const photoDays = protocol.days.filter((day) => questionsForDay(protocol, day).some((question) => question.kind === 'photo'));
    expect(photoDays).toEqual([3, 7, 14]);
    const ids = (day: number) => questionsForDay(protocol, day).map((question) => question.id);
    expect(ids(3)).toEqual(protocol.questions.map((question) => question.id));
    expect(ids(30)).not.toContain('photo');
    expect(ids(30)).not.toContain('passing_urine');
    expect(ids(30)).toContain('breathing_chest');
  });

  it('refuses a file without the draft status line, naming the file', () => {
    const { status: _status, ...withoutStatus } = minimal();
    expect(() => loadProtocolFile(writeProtocol('no-status.yaml', withoutStatus))).toThrow(/no-status\.yaml: status must say "draft, pending clinician review"/);
    expect(() => loadProtocolFile(writeProtocol('reviewed.yaml', { ...minimal(), status: 'approved' }))).toThrow(/reviewed\.yaml: status/);
  });

  it('names the file and the field of a protocol that does not validate', () => {
    expect(() => loadProtocolFile(writeProtocol('bad-hour.yaml', { ...minimal(), sendHour: '9am' }))).toThrow(/bad-hour\.yaml: sendHour: expected a time of day/);
    expect(loadProtocolFile(writeProtocol('good.yaml', minimal())).id).toBe('test-protocol');
  });
});

describe('post-op facts', () => {
  it('records every fact in the names and values the escalation rules read', () => {
    const escalation = EVENT_FACTS.postop_checkin;
    for (const [name, spec] of Object.entries(POSTOP_FACTS)) {
      const theirs = escalation[name];
      expect(theirs, name).toBeDefined();
      if (spec.type === 'choice') expect(theirs, name).toEqual({ kind: 'string', values: spec.values });
      else expect(theirs?.kind, name).toBe(spec.type);
    }
  });

  it('merges so the more worrying value wins', () => {
    expect(mergeFacts({ bleeding: 'heavy', pain_controlled: true, pain: 4 }, { bleeding: 'light', pain_controlled: false, pain: 7 })).toEqual({ bleeding: 'heavy', pain_controlled: false, pain: 7 });
    expect(mergeFacts({ temperature_c: 37.9 }, { temperature_c: 35.2 })).toEqual({ temperature_c: 35.2 });
    expect(mergeFacts({ redness: 'spreading' }, { redness: 'present', swelling: true })).toEqual({ redness: 'spreading', swelling: true });
  });
});

describe('answer phrases', () => {
  it.each(['red', 'smell*', 'red|pink', 'blood ~ dressing', 'the? wound open*'])('accepts "%s"', (phrase) => {
    expect(isPhrase(phrase)).toBe(true);
  });

  it.each(['', 'Red', 'red.*', '(a|b)', '~ red', 'red ~', 'red?', 'red  pink', 'a|'])('refuses "%s"', (phrase) => {
    expect(isPhrase(phrase)).toBe(false);
    expect(() => compilePhrases([phrase])).toThrow(/is not a phrase/);
  });
});
