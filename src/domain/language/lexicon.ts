/**
 * The lexicon: how patients say symptoms, conditions and context, per language, as reviewed data in
 * content/clinical/lexicon/<language>/*.yaml. Loaded and compiled once; a broken file stops the start with its
 * name and the reason. Adding a language is adding a folder: the engine does not change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { WordPrefixIndex } from './prefilter.js';

export const CLINICAL_DIR = fileURLToPath(new URL('../../../content/clinical/', import.meta.url));

const patternList = z.array(z.string().min(1)).min(1);
const lexiconFileSchema = z.strictObject({
  language: z.string().min(2).max(8),
  macros: z.record(z.string().regex(/^[A-Z_]+$/), z.string()).optional(),
  symptoms: z.record(z.string().regex(/^[a-z_]+$/), z.strictObject({ site: z.string().optional(), say: patternList })).optional(),
  history: z.record(z.string(), patternList).optional(),
  context: z.record(z.string().regex(/^[a-z_]+$/), patternList).optional(),
});

/** Parses one clinical YAML file; a syntax error names the file, so a reviewer's slip is found at once. */
export function readYaml(file: string, what: string): unknown {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`${what}: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
}

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

function expand(pattern: string, macros: Record<string, string>, where: string): string {
  return pattern.replace(/\{([A-Z_]+)\}/g, (whole, name: string) => {
    const value = macros[name];
    if (value === undefined) throw new Error(`${where}: unknown macro ${whole}`);
    return value;
  });
}

function compile(source: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (cause) {
    throw new Error(`${where}: not a valid pattern`, { cause });
  }
}

/** Reads every file of one language folder; the same code in two files adds wording, never replaces it. */
export function loadLexicon(language: string, dir = path.join(CLINICAL_DIR, 'lexicon', language)): Lexicon {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
  const macros: Record<string, string> = {};
  const symptoms = new Map<string, { site?: string; say: string[] }>();
  const history = new Map<string, string[]>();
  const context = new Map<string, string[]>();
  const parsed = files.map((name) => {
    const parsedFile = lexiconFileSchema.safeParse(readYaml(path.join(dir, name), `lexicon ${language}/${name}`));
    if (!parsedFile.success) throw new Error(`lexicon ${language}/${name}: ${parsedFile.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    Object.assign(macros, parsedFile.data.macros);
    return { name, data: parsedFile.data };
  });
  for (const { name, data } of parsed) {
    for (const [code, entry] of Object.entries(data.symptoms ?? {})) {
      const kept = symptoms.get(code) ?? { say: [] };
      kept.say.push(...entry.say.map((line) => expand(line, macros, `lexicon ${language}/${name} ${code}`)));
      kept.site ??= entry.site;
      symptoms.set(code, kept);
    }
    for (const [target, source] of [[history, data.history], [context, data.context]] as const) {
      for (const [key, lines] of Object.entries(source ?? {})) target.set(key, [...(target.get(key) ?? []), ...lines.map((line) => expand(line, macros, `lexicon ${language}/${name} ${key}`))]);
    }
  }
  const joined = (lines: string[]): string => lines.map((line) => `(?:${line})`).join('|');
  const wordings: SymptomWording[] = [...symptoms].map(([code, entry]) => ({
    code,
    ...(entry.site ? { site: entry.site } : {}),
    regex: compile(` (?:${joined(entry.say)})(?= )`, 'g', `lexicon ${language} symptom ${code}`),
  }));
  const index = new WordPrefixIndex([...symptoms.values()].map((entry) => entry.say));
  return {
    language,
    symptoms: wordings,
    symptomsFor: (words) => index.candidates(words).map((at) => wordings[at] as SymptomWording),
    history: new Map([...history].map(([key, lines]) => [key, compile(joined(lines), '', `lexicon ${language} history ${key}`)])),
    context: new Map([...context].map(([key, lines]) => [key, compile(joined(lines), '', `lexicon ${language} context ${key}`)])),
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
