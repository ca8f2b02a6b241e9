/**
 * The pattern notation of content/clinical/crisis.yaml, compiled to regular expressions over canonical text:
 * the normalised message's words, each followed by one space, clause breaks as `|` ("i want to die | ok ").
 *
 * Written so a clinician can read a pattern as a phrase: `{desire} ...2 {framed_act}`, `wish|hope i ...2 dead`.
 * The notation is documented at the top of the YAML file; a pattern that does not compile stops CareLoop at
 * start with the file's place in it, so a typo can never make a rule silently never fire.
 */
import { CLAUSE_BREAK } from './normalize.js';

/** Canonical words of a literal phrase, spelled exactly as messages are (so "i'm gonna" reads "im going to"). */
export type Spell = (phrase: string) => string[];

/** Marks a word that a figure of speech has used up: it matches no word step and stops every gap. */
export const MASKED = '_';

const DEFAULT_GAP = 4;

/** Turns the notation into regex sources; named lists are compiled once and may refer to each other. */
export class PatternCompiler {
  private readonly compiled = new Map<string, string>();
  private readonly compiling = new Set<string>();
  private readonly gapWord: string;

  constructor(
    private readonly lists: Readonly<Record<string, readonly string[]>>,
    private readonly spell: Spell,
    /** Words a gap never crosses: negations and clause turns change what the words around them mean. */
    gapStops: readonly string[],
  ) {
    const stops = [...new Set(gapStops)].filter((word) => /^[a-z0-9]+$/.test(word));
    this.gapWord = `(?!(?:${stops.join('|')}) )[a-z0-9.]+ `;
  }

  /** A global regex finding the pattern anywhere in canonical text, starting at a word. */
  regex(pattern: string, where: string): RegExp {
    return new RegExp(`(?<=^| )${this.source(pattern, where)}`, 'g');
  }

  /** A regex that is true when any entry of a named list occurs in canonical text. */
  contains(name: string, where: string): RegExp {
    return new RegExp(`(?<=^| )${this.list(name, where)}`);
  }

  /** The source of a named list: any one of its entries. */
  list(name: string, where: string): string {
    const done = this.compiled.get(name);
    if (done !== undefined) return done;
    const entries = this.lists[name];
    if (!entries) throw new Error(`${where}: unknown list {${name}}`);
    if (this.compiling.has(name)) throw new Error(`${where}: list {${name}} refers to itself`);
    this.compiling.add(name);
    // Longest first, so "sleeping pills" is tried before "pills" when both would fit.
    const sources = entries.map((entry) => this.source(entry, `${where} > {${name}} "${entry}"`)).sort((a, b) => b.length - a.length);
    this.compiling.delete(name);
    const source = `(?:${sources.join('|')})`;
    this.compiled.set(name, source);
    return source;
  }

  /** The source of one pattern: its steps in order, each consuming whole words and their trailing space. */
  source(pattern: string, where: string): string {
    const steps = pattern.trim().split(/\s+/);
    let source = '';
    let literal: string[] = [];
    // Plain words next to each other are spelled together, so phrase folds ("i am" -> "im") apply as in messages.
    const flush = (): void => {
      if (literal.length) source += this.words(this.spell(literal.join(' ')), where);
      literal = [];
    };
    for (const step of steps) {
      if (/^[a-z0-9']+$/.test(step) && !/^[0-9]+$/.test(step)) {
        literal.push(step);
        continue;
      }
      flush();
      source += this.step(step, where);
    }
    flush();
    if (!source) throw new Error(`${where}: empty pattern`);
    return source;
  }

  private step(step: string, where: string): string {
    const gap = /^\.\.\.([0-9]?)$/.exec(step);
    if (gap) return `(?:${this.gapWord}){0,${gap[1] ? Number(gap[1]) : DEFAULT_GAP}}`;
    if (step === '$') return `(?=\\${CLAUSE_BREAK} |$)`;
    if (step === '^') return `(?<=^|\\${CLAUSE_BREAK} )`;
    if (step.startsWith('!')) return `(?!${this.alternatives(step.slice(1), where)})`;
    if (step.startsWith('<')) return `(?<!(?:^| )${this.alternatives(step.slice(1), where)})`;
    if (step.endsWith('?')) return `(?:${this.alternatives(step.slice(0, -1), where)})?`;
    return this.alternatives(step, where);
  }

  private alternatives(step: string, where: string): string {
    if (!step) throw new Error(`${where}: empty step`);
    const choices = step.split('|').map((choice) => {
      if (!choice) throw new Error(`${where}: empty choice in "${step}"`);
      const named = /^\{([a-z_]+)\}$/.exec(choice);
      if (named) return this.list(named[1]!, where);
      if (choice === '#') return '[0-9]+(?:\\.[0-9]+)? ';
      // Ten or more: "took 40 of my pills" is an overdose, "took 2" is a dose.
      if (choice === '##') return '[1-9][0-9]+(?:\\.[0-9]+)? ';
      if (/^[a-z0-9]+\*$/.test(choice)) return `${choice.slice(0, -1)}[a-z0-9]* `;
      if (!/^[a-z0-9'_]+$/.test(choice)) throw new Error(`${where}: cannot read "${choice}"`);
      return this.words(this.spell(choice.replace(/_/g, ' ')), where);
    });
    return `(?:${choices.join('|')})`;
  }

  private words(words: readonly string[], where: string): string {
    if (words.length === 0) throw new Error(`${where}: a phrase spells to nothing`);
    return words.map((word) => `${word.replace(/[.]/g, '\\.')} `).join('');
  }
}
