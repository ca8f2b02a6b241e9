/**
 * Every line of the clinical lexicon must match its own words. A patient who types what a line says must be read
 * as that line's symptom, condition or context; a line that the message normaliser spells differently ("breath" is
 * read "breathe") never matches anyone and is a silent gap in triage and in the safety net.
 */
import { describe, expect, it } from 'vitest';
import { lexicon, readLexiconLines, type LexiconLine } from '../../src/domain/language/lexicon.js';
import { prepareText } from '../../src/domain/language/text.js';
import { extractFindings } from '../../src/domain/triage/findings.js';
import type { History } from '../../src/domain/triage/types.js';
import { patternSamples } from '../helpers/pattern-samples.js';

const NOW = new Date(2025, 2, 12, 14, 0, 0);

/** Whether the line's own key is matched by the compiled lexicon in the normalised text. */
function matcherFinds(line: LexiconLine, text: string): boolean {
  const compiled = lexicon();
  const regex = line.section === 'symptoms' ? compiled.symptoms.find((wording) => wording.code === line.key)?.regex : compiled[line.section].get(line.key);
  if (!regex) return false;
  return prepareText(text).clauses.some((clause) => {
    regex.lastIndex = 0;
    const found = regex.test(clause.text);
    regex.lastIndex = 0;
    return found;
  });
}

/** Whether the engine reports the line's key for the text: a symptom present, a condition held, a context flag set. */
function engineFinds(line: LexiconLine, text: string): boolean {
  // A baby's movements are read as fetal movements only in a pregnancy (findings.ts), so say the pregnancy.
  const said = line.key === 'reduced_fetal_movement' ? `im 32 weeks pregnant, ${text}` : text;
  const findings = extractFindings({ text: said, now: NOW });
  if (line.section === 'symptoms') return findings.symptoms.some((symptom) => symptom.code === line.key && !symptom.negated);
  if (line.section === 'history') return findings.history[line.key as keyof History] === true;
  return findings.freeTextFlags.includes(line.key);
}

/** Stem endings tried for an open stem ("sweat\w*"): the stem alone, or the stem as a patient completes it. */
const ENDINGS = ['', 'ing', 'ed', 'e', 's', 'y'];

/**
 * The example texts of a line, each with its stem variants; `find` must accept at least one variant of every
 * example. Returns the examples none of whose variants it accepts.
 */
function unmatchedSamples(line: LexiconLine, find: (line: LexiconLine, text: string) => boolean): string[] {
  const byEnding = ENDINGS.map((ending) => patternSamples(line.written, ending));
  const missed = new Set<string>();
  byEnding[0]!.forEach((plain, index) => {
    const variants = [...new Set(byEnding.map((samples) => samples[index] ?? plain))].filter(Boolean);
    if (variants.length > 0 && !variants.some((text) => find(line, text))) missed.add(variants.join(' / '));
  });
  return [...missed];
}

describe('the clinical lexicon', () => {
  const { lines } = readLexiconLines('en');

  it('reads its own example texts (the audit is not vacuous)', () => {
    expect(lines.length).toBeGreaterThan(800);
    expect(patternSamples('(struggling|fighting) (for|to get) (breath|air)')).toEqual(['struggling for breath', 'fighting to get air']);
    expect(patternSamples('cant (catch (my |his )?)?breath\\w*', 'ing')).toEqual(['cant catch breathing', 'cant breathing']);
  });

  it('matches every line against its own words, as a patient would type them', () => {
    const dead: string[] = [];
    for (const line of lines) {
      for (const sample of unmatchedSamples(line, matcherFinds)) {
        dead.push(`${line.file} ${line.section}.${line.key}: "${line.written}" does not match "${sample}" (read as "${prepareText(sample.split(' / ')[0] ?? '').all.trim()}")`);
      }
    }
    expect(dead, `${dead.length} dead wordings:\n${dead.join('\n')}`).toEqual([]);
  });

  it('reports every line as its own finding when said on its own', () => {
    const missed: string[] = [];
    for (const line of lines) {
      for (const sample of unmatchedSamples(line, engineFinds)) missed.push(`${line.file} ${line.section}.${line.key}: "${sample}"`);
    }
    expect(missed, `${missed.length} wordings not reported:\n${missed.join('\n')}`).toEqual([]);
  });
});
