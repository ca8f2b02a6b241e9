import fs from 'node:fs';
import { z } from 'zod';

/**
 * The subject vocabulary (content/education/subjects/<language>.json): which medicines, conditions, body parts and
 * substances a text names, and whether a question is about a pet or a thing rather than a patient. The words are
 * data a clinician can review; this file only matches them. Subject ids are shared by every language.
 */

/** What a subject can be: a medicine (name or class), a condition, a body part, or a substance (alcohol, smoking). */
export const SUBJECT_KINDS = ['medicine', 'condition', 'body', 'substance'] as const;
/** One of {@link SUBJECT_KINDS}. */
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

const words = z.array(z.string().min(1));
const subjectTable = z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case subject id'), words.min(1));

const lexiconSchema = z.object({
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'expected a language tag such as "en"'),
  note: z.string().optional(),
  subjects: z.object({ medicine: subjectTable, condition: subjectTable, body: subjectTable, substance: subjectTable }),
  medicineWords: words,
  medicineEndings: words,
  notMedicines: words,
  ignorePhrases: words,
  notPatients: z.object({ words, determiners: words, actedOnAfter: words }),
});

/** One subject named in a text; `id` is `unlisted-medicine:<word>` for a word that only looks like a medicine. */
export interface SubjectMention {
  id: string;
  kind: SubjectKind;
  /** The words as they appear (normalised), for removing them from the question's own words. */
  phrase: string;
}

/** What the vocabulary found in one text. */
export interface TextReading {
  subjects: SubjectMention[];
  /** A pet or thing the text is about (not one the patient only uses, like "drive my car"), if any. */
  nonPatient?: string;
  /** The text names a medicine, or uses a general medicine word (pill, dose, prescription). */
  aboutMedicine: boolean;
}

/** A compiled vocabulary for one language. */
export interface Lexicon {
  language: string;
  /** Every subject id with its kind. */
  kinds: ReadonlyMap<string, SubjectKind>;
  /** The first word of each subject, the one articles most often use ("acetaminophen" for "tylenol"). */
  canonical: ReadonlyMap<string, string>;
  read(text: string): TextReading;
}

type Entry =
  | { type: 'subject'; id: string; kind: SubjectKind }
  | { type: 'ignore' }
  | { type: 'notPatient' }
  | { type: 'medicineWord' };

interface Phrase {
  tokens: string[];
  entry: Entry;
}

/** Lowercase words with apostrophes removed, so "dog's" reads "dogs" and "can't" reads "cant". */
export function lexiconTokens(text: string): string[] {
  return text.toLowerCase().replace(/['\u2019]/g, '').split(/[^a-z0-9]+/).filter((token) => token.length > 0);
}

/** Reads and checks a vocabulary file; throws naming the file and the problem. */
export function loadLexicon(file: string): Lexicon {
  try {
    return compileLexicon(lexiconSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))));
  } catch (cause) {
    const reason = cause instanceof z.ZodError ? z.prettifyError(cause) : (cause as Error).message;
    throw new Error(`invalid subject vocabulary ${file}: ${reason}`, { cause });
  }
}

function compileLexicon(data: z.infer<typeof lexiconSchema>): Lexicon {
  const phrases = new Map<string, Phrase>();
  const add = (text: string, entry: Entry) => {
    const tokens = lexiconTokens(text);
    const key = tokens.join(' ');
    if (phrases.has(key)) throw new Error(`"${text}" is listed twice`);
    phrases.set(key, { tokens, entry });
  };
  const kinds = new Map<string, SubjectKind>();
  const canonical = new Map<string, string>();
  for (const kind of SUBJECT_KINDS) {
    for (const [id, list] of Object.entries(data.subjects[kind])) {
      if (kinds.has(id)) throw new Error(`subject "${id}" is listed twice`);
      kinds.set(id, kind);
      canonical.set(id, list[0] ?? id);
      for (const text of list) add(text, { type: 'subject', id, kind });
    }
  }
  for (const text of data.ignorePhrases) add(text, { type: 'ignore' });
  for (const text of data.notPatients.words) add(text, { type: 'notPatient' });
  for (const text of data.medicineWords) add(text, { type: 'medicineWord' });
  // Longest phrase first, so "heart attack" is read before "heart" and "back to" before "back".
  const byFirstToken = new Map<string, Phrase[]>();
  for (const phrase of [...phrases.values()].sort((a, b) => b.tokens.length - a.tokens.length)) {
    const first = phrase.tokens[0] ?? '';
    byFirstToken.set(first, [...(byFirstToken.get(first) ?? []), phrase]);
  }
  const endings = data.medicineEndings;
  const notMedicines = new Set(data.notMedicines);
  const determiners = new Set(data.notPatients.determiners);
  const actedOnAfter = new Set(data.notPatients.actedOnAfter);

  function read(text: string): TextReading {
    const tokens = lexiconTokens(text);
    const subjects = new Map<string, SubjectMention>();
    let nonPatient: string | undefined;
    let aboutMedicine = false;
    for (let at = 0; at < tokens.length; ) {
      const found = matchAt(byFirstToken, tokens, at);
      if (!found) {
        const token = tokens[at] ?? '';
        if (token.length >= 6 && !notMedicines.has(token) && endings.some((ending) => token.endsWith(ending))) {
          subjects.set(`unlisted-medicine:${token}`, { id: `unlisted-medicine:${token}`, kind: 'medicine', phrase: token });
          aboutMedicine = true;
        }
        at += 1;
        continue;
      }
      const { entry } = found.phrase;
      const phrase = tokens.slice(at, at + found.length).join(' ');
      if (entry.type === 'subject' && !subjects.has(entry.id)) subjects.set(entry.id, { id: entry.id, kind: entry.kind, phrase });
      if (entry.type === 'subject' && entry.kind === 'medicine') aboutMedicine = true;
      if (entry.type === 'medicineWord') aboutMedicine = true;
      if (entry.type === 'notPatient' && !nonPatient && !actedOn(tokens, at, determiners, actedOnAfter)) nonPatient = phrase;
      at += found.length;
    }
    return { subjects: [...subjects.values()], ...(nonPatient ? { nonPatient } : {}), aboutMedicine };
  }
  return { language: data.language, kinds, canonical, read };
}

function matchAt(byFirstToken: Map<string, Phrase[]>, tokens: string[], at: number): { phrase: Phrase; length: number } | undefined {
  const token = tokens[at] ?? '';
  const candidates = [...new Set([token, ...singulars(token)])].flatMap((first) => byFirstToken.get(first) ?? []);
  candidates.sort((a, b) => b.tokens.length - a.tokens.length);
  for (const phrase of candidates) {
    const length = phrase.tokens.length;
    const ok = phrase.tokens.every((word, i) => {
      const actual = tokens[at + i];
      return actual === word || (i === length - 1 && actual !== undefined && singulars(actual).includes(word));
    });
    if (ok) return { phrase, length };
  }
  return undefined;
}

/** The forms a plural (or possessive, once apostrophes are gone) may come from: "stitches", "allergies", "dogs". */
function singulars(token: string): string[] {
  const forms: string[] = [];
  if (token.endsWith('ies') && token.length > 4) forms.push(`${token.slice(0, -3)}y`);
  if (token.endsWith('es') && token.length > 3) forms.push(token.slice(0, -2));
  if (token.endsWith('s') && token.length > 2) forms.push(token.slice(0, -1));
  return forms;
}

/** "walk my dog", "drive the car", "on my phone": the patient uses the thing; the thing is not who is ill. */
function actedOn(tokens: string[], at: number, determiners: Set<string>, actedOnAfter: Set<string>): boolean {
  let before = at - 1;
  if (determiners.has(tokens[before] ?? '')) before -= 1;
  return actedOnAfter.has(tokens[before] ?? '');
}
