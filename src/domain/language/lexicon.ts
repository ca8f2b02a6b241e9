/**
 * The lexicon: how patients say symptoms, conditions and context, per language, as reviewed data in
 * content/clinical/lexicon/<language>/*.yaml. Loaded and compiled once; a broken file stops the start with its
 * name and the reason. Adding a language is adding a folder: the engine does not change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLINICAL_DIR, readLexiconFiles, type LexiconLine } from './lexicon-files.js';
import { spellPatternWords } from './pattern-words.js';
import { WordPrefixIndex } from './prefilter.js';
import { spellPhrase } from './text.js';

export { CLINICAL_DIR, readYaml, type LexiconLine } from './lexicon-files.js';

/** One symptom code with its compiled wording: matched on canonical clause text with spaces around words. */
export interface SymptomWording {
  code: string;
  site?: string;
  regex: RegExp;
}

export interface Lexicon {
  language: string;
  symptoms: readonly SymptomWording[];
  /** Conditions by history field ("pregnant", "anticoagulated"): one regular expression each. */
  history: ReadonlyMap<string, RegExp>;
  /** Context flags ("worsening", "sudden_onset"). */
  context: ReadonlyMap<string, RegExp>;
  /** The symptoms whose wording can match a message made of these canonical words (see prefilter.ts). */
  symptomsFor(words: Iterable<string>): SymptomWording[];
}

function compile(source: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (cause) {
    throw new Error(`${where}: not a valid pattern`, { cause });
  }
}

/** Every line of one language folder with its matched source: its plain words spelled as messages are. */
export function readLexiconLines(language: string, dir = path.join(CLINICAL_DIR, 'lexicon', language)): { lines: LexiconLine[]; sites: Map<string, string> } {
  const { lines, sites } = readLexiconFiles(language, dir);
  return { lines: lines.map((line) => ({ ...line, source: spellPatternWords(line.written, spellPhrase) })), sites };
}

/**
 * Reads every file of one language folder; the same code in two files adds wording, never replaces it. Lines are
 * matched in canonical spelling: their plain words go through the message normaliser here, once, so a reviewer's
 * wording and a patient's message are always spelled by the same function.
 */
export function loadLexicon(language: string, dir = path.join(CLINICAL_DIR, 'lexicon', language)): Lexicon {
  const { lines, sites } = readLexiconLines(language, dir);
  const grouped = (section: LexiconLine['section']): Map<string, string[]> => {
    const byKey = new Map<string, string[]>();
    for (const line of lines) if (line.section === section) byKey.set(line.key, [...(byKey.get(line.key) ?? []), line.source]);
    return byKey;
  };
  const symptoms = grouped('symptoms');
  const joined = (say: string[]): string => say.map((line) => `(?:${line})`).join('|');
  // A match ends at a word's end: before a space, or after one the line itself took ("boils? on (my )?" said as
  // "boils on my neck"); the second case made every line ending in a space silently dead.
  const wordings: SymptomWording[] = [...symptoms].map(([code, say]) => {
    const site = sites.get(code);
    return { code, ...(site ? { site } : {}), regex: compile(` (?:${joined(say)})(?= |(?<= ))`, 'g', `lexicon ${language} symptom ${code}`) };
  });
  const index = new WordPrefixIndex([...symptoms.values()]);
  return {
    language,
    symptoms: wordings,
    symptomsFor: (words) => index.candidates(words).map((at) => wordings[at] as SymptomWording),
    history: new Map([...grouped('history')].map(([key, say]) => [key, compile(joined(say), '', `lexicon ${language} history ${key}`)])),
    context: new Map([...grouped('context')].map(([key, say]) => [key, compile(joined(say), '', `lexicon ${language} context ${key}`)])),
  };
}

const loaded = new Map<string, Lexicon>();

/** The lexicon of a language, loaded on first use; English is the default and the fallback. */
export function lexicon(language = 'en'): Lexicon {
  let found = loaded.get(language);
  if (!found) {
    found = fs.existsSync(path.join(CLINICAL_DIR, 'lexicon', language)) ? loadLexicon(language) : lexicon('en');
    loaded.set(language, found);
  }
  return found;
}
