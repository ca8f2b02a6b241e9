/**
 * The words an answer is read with: a small phrase syntax a reviewer can write in the protocol file (and an API
 * caller can send without being able to make the matcher slow), a tokenizer that remembers where each word was
 * in the patient's text, and matching that applies the shared negation and hedge scope (language/text.ts), so
 * "no redness" and "not red" deny redness exactly as triage reads them.
 *
 * Phrase syntax: words separated by spaces, matched on lower-case words without accents or apostrophes
 * ("don't" is `dont`).
 * - `smell*`: any word starting with "smell" (smells, smelly, smelling)
 * - `red|pink`: either word at this place; `the?`: this word or nothing
 * - `~`: up to three words of anything ("blood ~ dressing" matches "blood all over the dressing")
 */
import { MAX_ANALYSED_CHARS, qualify, type Clause } from '../language/text.js';

const ALTERNATIVE = String.raw`[a-z0-9]+\*?`;
const TOKEN = String.raw`(?:~|${ALTERNATIVE}(?:\|${ALTERNATIVE})*\??)`;
/** Tokens separated by single spaces; a gap neither starts nor ends a phrase. */
const PHRASE_SYNTAX = new RegExp(`^(?!~ )${TOKEN}(?: ${TOKEN})*(?<! ~)$`);

/** True when `phrase` follows the syntax and has a word that must be there (so it never matches nothing). */
export function isPhrase(phrase: string): boolean {
  return PHRASE_SYNTAX.test(phrase) && phrase.split(' ').some((token) => token !== '~' && !token.endsWith('?'));
}

/** One word of the patient's text, folded, with its place in the original text. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

/** A clause of the answer: the shared Clause shape plus where each word came from. */
export interface AnswerClause extends Clause {
  tokens: Token[];
}

/** A phrase found in an answer: its clause, its words `[from, to)`, and how it was said. */
export interface Mention<Tag> {
  tag: Tag;
  clause: number;
  from: number;
  to: number;
  negated: boolean;
  uncertain: boolean;
}

const UNABLE: ReadonlySet<string> = new Set(['cant', 'cannot', 'couldnt', 'unable', 'wont', 'wouldnt']);

const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*|[.,;:!?\n()]+/gu;

function fold(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/['\u2019]/g, '');
}

/** The answer's clauses: punctuation, commas and line breaks end one ("no, it's spreading" is two). */
export function tokenize(text: string): AnswerClause[] {
  const clauses: AnswerClause[] = [];
  let tokens: Token[] = [];
  const flush = (): void => {
    if (tokens.length > 0) clauses.push(makeClause(tokens));
    tokens = [];
  };
  for (const match of text.slice(0, MAX_ANALYSED_CHARS).matchAll(WORD)) {
    if (/^[.,;:!?\n()]/.test(match[0])) flush();
    else tokens.push({ word: fold(match[0]), start: match.index, end: match.index + match[0].length });
  }
  flush();
  return clauses;
}

function makeClause(tokens: Token[]): AnswerClause {
  const words = tokens.map((token) => token.word);
  const starts: number[] = [];
  let offset = 1;
  for (const word of words) {
    starts.push(offset);
    offset += word.length + 1;
  }
  return { tokens, words, text: ` ${words.join(' ')} `, starts };
}

function compileToken(token: string): string {
  if (token === '~') return '(?:[^ ]+ ){0,3}';
  const optional = token.endsWith('?');
  const alternatives = (optional ? token.slice(0, -1) : token).split('|').map((word) => (word.endsWith('*') ? `${word.slice(0, -1)}[^ ]*` : word));
  return `(?:(?:${alternatives.join('|')}) )${optional ? '?' : ''}`;
}

/**
 * Compiles phrases to patterns over a clause's text (` word word `), one each so that every phrase finds its
 * longest match (one alternation would stop at the first phrase that fits). Throws on a phrase outside the syntax.
 */
export function compilePhrases(phrases: readonly string[]): RegExp[] {
  return phrases.map((phrase) => {
    if (!isPhrase(phrase)) throw new Error(`"${phrase}" is not a phrase (words, word*, a|b, word?, ~)`);
    // Every token carries the space after it, so a match starts after a space and ends on one: whole words only.
    return new RegExp(`(?<= )${phrase.split(' ').map(compileToken).join('')}`, 'g');
  });
}

/**
 * Every place a tagged phrase set matches, qualified by the shared negation scope. Where matches overlap, the
 * longer wins ("not helping" over "helping", "light yellow" over "yellow"): the more specific reading.
 * `plainNegation` reads only a negation word before the match as a denial, for phrases that describe something
 * normal ("eating fine"), where triage's normal-finding rule would otherwise turn "fine" into a denial.
 */
export function findMentions<Tag>(clauses: readonly AnswerClause[], sets: readonly { tag: Tag; patterns: readonly RegExp[]; plainNegation?: boolean }[]): Mention<Tag>[] {
  const found: (Mention<Tag> & { length: number })[] = [];
  clauses.forEach((clause, index) => {
    for (const { tag, patterns, plainNegation } of sets) {
      for (const match of patterns.flatMap((pattern) => [...clause.text.matchAll(pattern)])) {
        const from = clause.starts.indexOf(match.index);
        const to = from + match[0].trim().split(' ').length;
        const qualified = qualify(clause, from, to, plainNegation ? { triggersOnly: true } : {});
        // "cant eat", "unable to keep it down": the shared layer reads "cant breathe" as a symptom, not a denial, so
        // for words that describe something going well an inability just before them is a denial too.
        const negated = qualified.negated || (plainNegation === true && clause.words.slice(Math.max(0, from - 3), from).some((word) => UNABLE.has(word)));
        found.push({ tag, clause: index, from, to, negated, uncertain: qualified.uncertain, length: match[0].length });
      }
    }
  });
  found.sort((left, right) => right.length - left.length);
  const kept: Mention<Tag>[] = [];
  for (const { length: _length, ...mention } of found) {
    const overlaps = kept.some((other) => other.clause === mention.clause && other.from < mention.to && mention.from < other.to && other.tag !== mention.tag);
    if (!overlaps) kept.push(mention);
  }
  return kept;
}

/** The character spans of the patient's text that mentions cover, to leave them out of what triage reads. */
export function spansOf(clauses: readonly AnswerClause[], mentions: readonly Mention<unknown>[]): [number, number][] {
  return mentions.map((mention) => {
    const tokens = clauses[mention.clause]?.tokens ?? [];
    return [tokens[mention.from]?.start ?? 0, tokens[mention.to - 1]?.end ?? 0];
  });
}

/** The text with the spans blanked out: what is left for triage to read. */
export function withoutSpans(text: string, spans: readonly [number, number][]): string {
  let left = text;
  for (const [start, end] of spans) left = left.slice(0, start) + ' '.repeat(Math.max(0, end - start)) + left.slice(end);
  return left;
}
