import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLINICAL_DIR, loadLexicon } from '../../src/domain/language/lexicon.js';
import { Facts } from '../../src/domain/triage/facts.js';
import { extractFindings } from '../../src/domain/triage/findings.js';
import { compileCondition } from '../../src/domain/triage/knowledge/expression.js';
import { loadKnowledge } from '../../src/domain/triage/knowledge/load.js';

const vocabulary = { isSymptom: (name: string) => ['chest_pain', 'sweating', 'fever', 'cough'].includes(name), term: () => undefined };
const factsOf = (text: string, age?: number) => new Facts(extractFindings({ text, ...(age !== undefined ? { age } : {}), now: new Date('2026-11-30T12:00:00Z') }));

function protocolDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-protocols-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(body));
  return dir;
}
const protocol = (rules: object[], extra: object = {}) => ({ area: 'test', title: 'Test', status: 'draft, pending clinician review', sources: { s: 'A source' }, rules, ...extra });

describe('the condition language', () => {
  it('reads symptoms, measures, functions and logic in the usual order', () => {
    const condition = compileCondition('chest_pain and (sweating or age >= 40) and not fever', vocabulary);
    expect(condition(factsOf('chest pain and sweating'))).toBe(true);
    expect(condition(factsOf('chest pain', 52))).toBe(true);
    expect(condition(factsOf('chest pain', 25))).toBe(false);
    expect(condition(factsOf('chest pain and sweating with a fever'))).toBe(false);
    expect(condition(factsOf('no chest pain but sweating'))).toBe(false);
  });

  it('never fires on a number nobody gave', () => {
    expect(compileCondition('temp < 36', vocabulary)(factsOf('cough'))).toBe(false);
    expect(compileCondition('temp >= 39', vocabulary)(factsOf('cough and temp 39.4'))).toBe(true);
  });

  it('rejects unknown words, unknown symptoms and broken syntax with a readable reason', () => {
    expect(() => compileCondition('chest_pian', vocabulary)).toThrow(/unknown word "chest_pian"/);
    expect(() => compileCondition('severe(chest_pian)', vocabulary)).toThrow(/unknown symptom "chest_pian"/);
    expect(() => compileCondition('chest_pain and (fever', vocabulary)).toThrow(/expected \)/);
    expect(() => compileCondition('age', vocabulary)).toThrow();
  });
});

describe('loading protocols', () => {
  it('compiles rules, keeps protocol order and resolves sources', () => {
    const dir = protocolDir({ 'a.yaml': protocol([{ id: 'test.one', level: 'urgent', when: 'fever', because: 'Fever.', source: 's' }]) });
    const knowledge = loadKnowledge(dir);
    expect(knowledge.rules.map((rule) => [rule.id, rule.level, rule.source])).toEqual([['test.one', 'urgent', 'A source']]);
  });

  it.each([
    ['a rule naming an unknown source', protocol([{ id: 'test.one', level: 'urgent', when: 'fever', because: 'x', source: 'nope' }]), /names source "nope"/],
    ['a protocol not marked draft', protocol([], { status: 'approved' }), /draft/],
    ['a typo in a condition', protocol([{ id: 'test.one', level: 'urgent', when: 'fevr', because: 'x', source: 's' }]), /test\.one: unknown word "fevr"/],
    ['an unknown level', protocol([{ id: 'test.one', level: 'soon', when: 'fever', because: 'x', source: 's' }]), /level/],
  ])('refuses %s', (_, body, reason) => {
    expect(() => loadKnowledge(protocolDir({ 'a.yaml': body }))).toThrow(reason);
  });

  it('refuses a term that refers to itself', () => {
    expect(() => loadKnowledge(protocolDir({ 'a.yaml': protocol([], { terms: { loop: 'fever or loop' } }) }))).toThrow(/refers to itself/);
  });
});

describe('the shipped clinical files', () => {
  it('all load, every rule names a source, and every file is a draft pending clinician review', () => {
    const knowledge = loadKnowledge();
    expect(knowledge.rules.length).toBeGreaterThan(100);
    for (const rule of knowledge.rules) expect(rule.source.length, rule.id).toBeGreaterThan(5);
    const dir = path.join(CLINICAL_DIR, 'triage');
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      expect((parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { status: string }).status, file).toMatch(/^draft/i);
    }
  });

  it('covers the emergency list of every area it claims', () => {
    const levels = new Set(loadKnowledge().rules.map((rule) => rule.level));
    expect(levels).toEqual(new Set(['emergency', 'urgent', 'routine', 'self_care']));
  });

  it('has an English lexicon whose every symptom code compiles', () => {
    const lexicon = loadLexicon('en');
    expect(lexicon.symptoms.length).toBeGreaterThan(100);
    expect(lexicon.history.has('pregnant')).toBe(true);
  });
});
