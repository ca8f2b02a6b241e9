/**
 * Reading the lexicon files (content/clinical/lexicon/<language>/*.yaml): validated, macros expanded, each line with
 * its place. No spelling here: the message normaliser (text.ts) reads these words to know them, and lexicon.ts
 * spells the lines with that normaliser, so this module sits below both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

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

function expand(pattern: string, macros: Record<string, string>, where: string): string {
  return pattern.replace(/\{([A-Z_]+)\}/g, (whole, name: string) => {
    const value = macros[name];
    if (value === undefined) throw new Error(`${where}: unknown macro ${whole}`);
    return value;
  });
}

/** One wording line of the lexicon, macros expanded, with the place a reviewer finds it. */
export interface LexiconLine {
  file: string;
  section: 'symptoms' | 'history' | 'context';
  /** The symptom code, history field or context flag. */
  key: string;
  /** The line as written, macros expanded. */
  written: string;
  /** The line as matched: its plain words spelled as messages are (see pattern-words.ts); as written until spelled. */
  source: string;
}

/** Reads every line of one language folder as written (macros expanded), in file order (files sorted by name). */
export function readLexiconFiles(language: string, dir = path.join(CLINICAL_DIR, 'lexicon', language)): { lines: LexiconLine[]; sites: Map<string, string> } {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
  const macros: Record<string, string> = {};
  const parsed = files.map((name) => {
    const parsedFile = lexiconFileSchema.safeParse(readYaml(path.join(dir, name), `lexicon ${language}/${name}`));
    if (!parsedFile.success) throw new Error(`lexicon ${language}/${name}: ${parsedFile.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    Object.assign(macros, parsedFile.data.macros);
    return { name, data: parsedFile.data };
  });
  const lines: LexiconLine[] = [];
  const sites = new Map<string, string>();
  const add = (file: string, section: LexiconLine['section'], key: string, say: readonly string[]): void => {
    for (const line of say) {
      const written = expand(line, macros, `lexicon ${language}/${file} ${key}`);
      lines.push({ file, section, key, written, source: written });
    }
  };
  for (const { name, data } of parsed) {
    for (const [code, entry] of Object.entries(data.symptoms ?? {})) {
      add(name, 'symptoms', code, entry.say);
      if (entry.site && !sites.has(code)) sites.set(code, entry.site);
    }
    for (const [key, say] of Object.entries(data.history ?? {})) add(name, 'history', key, say);
    for (const [key, say] of Object.entries(data.context ?? {})) add(name, 'context', key, say);
  }
  return { lines, sites };
}


/**
 * The plain words the lexicon's lines use ("injection", "heel", "if"), and for "injections?" both spellings. The
 * message normaliser keeps them as typed: a word a reviewer wrote is a real word, never a typo to "correct"
 * ("injection" is not "infection", "heel ache" is not "headache").
 */
export function lexiconWords(language: string, dir = path.join(CLINICAL_DIR, 'lexicon', language)): string[] {
  const words = new Set<string>();
  for (const { written } of readLexiconFiles(language, dir).lines) {
    const plain = written.replace(/\\[a-zA-Z]/g, ' ').replace(/\[[^\]]*\]/g, ' ');
    for (const [whole, word, optional] of plain.matchAll(/([a-z][a-z']*)(\?)?/g)) {
      if (!word || whole.length < 2) continue;
      const bare = word.replace(/'/g, '');
      words.add(bare);
      if (optional && bare.length > 2) words.add(bare.slice(0, -1));
    }
  }
  return [...words];
}
