/**
 * "Too much of a medicine" pictures: a medicine the patient takes plus the signs the table lists for it
 * (lithium + tremor + confusion). The table's rules decide the level; this file only counts signs.
 */
import type { CompiledReading, CompiledToxicity, MedicineCatalog } from './compile.js';
import type { MedicineMention } from './find.js';
import { followedByAny, isHypothetical, isNegated, phrasesAt, type Clauses } from './language.js';
import type { ToxicityRule } from './schema.js';

/** One toxicity picture found, for the answer and for the triage engine. */
export interface ToxicityFinding {
  id: string;
  /** Plain-words name of the emergency ("lithium toxicity (too much lithium in the blood)"). */
  name: string;
  level: 'emergency' | 'urgent';
  /** What was seen, in the patient's words: "lithium with: shaking, confused". */
  because: string;
  source: string;
  /** Ids of the medicines it is about. */
  medicines: string[];
  /** Sign ids present, for audit and tests. */
  signs: string[];
  poisoning: boolean;
  /** Extra advice from the table (may hold {EMERGENCY_NUMBER}). */
  advice?: string;
}

/** Toxicity pictures among `mentions` (named or known to be taken), most serious first. */
export function toxicityIn(clauses: Clauses, mentions: readonly MedicineMention[], catalog: MedicineCatalog): ToxicityFinding[] {
  // Denied medicines do not count; one stopped recently still can (levels fall slowly).
  const active = mentions.filter((mention) => mention.status !== 'negated');
  const findings: ToxicityFinding[] = [];
  for (const toxicity of catalog.toxicity) {
    const { entry } = toxicity;
    const taking = active.filter((mention) => entry.applies.some((id) => mention.groups.includes(id)));
    if (taking.length === 0) continue;
    const signs = signsIn(clauses, toxicity);
    const rule = entry.rules.find((candidate) => holds(candidate, new Set(signs.keys())));
    if (!rule) continue;
    findings.push({
      id: entry.id,
      name: entry.name,
      level: rule.level,
      because: `${taking.map((mention) => mention.said).join(', ')} with: ${[...signs.values()].join(', ')}`,
      source: catalog.sourceName(entry.source),
      medicines: taking.map((mention) => mention.id),
      signs: [...signs.keys()],
      poisoning: entry.poisoning,
      ...(entry.advice ? { advice: entry.advice } : {}),
    });
  }
  return findings.sort((left, right) => Number(right.level === 'emergency') - Number(left.level === 'emergency'));
}

/** Whether a rule holds for the signs present. */
export function holds(rule: ToxicityRule, present: ReadonlySet<string>): boolean {
  if (!rule.all.every((sign) => present.has(sign))) return false;
  if (rule.anyOf.length > 0 && !rule.anyOf.some((sign) => present.has(sign))) return false;
  return present.size >= rule.needs;
}

/** Sign id -> the patient's words for it, for signs reported (not denied, not asked about). */
function signsIn(clauses: Clauses, toxicity: CompiledToxicity): Map<string, string> {
  const found = new Map<string, string>();
  const consider = (words: readonly string[], sign: string, start: number, end: number, said?: string): void => {
    if (found.has(sign) || isNegated(words, start, end) || isHypothetical(words, start)) return;
    const blockers = toxicity.notFollowedBy.get(sign);
    if (blockers && followedByAny(words, end, blockers, 1)) return;
    found.set(sign, said ?? words.slice(start, end).join(' '));
  };
  for (const words of clauses) {
    // Every phrase at every position: "sugar keeps dropping" is both a low sugar and one that is not recovering.
    for (let start = 0; start < words.length; start++) {
      for (const { length, values } of phrasesAt(toxicity.phrases, words, start)) {
        for (const sign of values) consider(words, sign, start, start + length);
      }
    }
    for (const reading of toxicity.readings) {
      const at = readingIn(words, reading);
      // The number itself is kept out of `because`: findings feed replies and logs that must never carry a figure.
      if (at) consider(words, reading.sign, at.start, at.end, `${at.cue} reading`);
    }
    for (const combo of toxicity.combos) {
      const starts = combo.parts.map((part) => indexOfPhrase(words, part));
      if (starts.some((start) => start < 0)) continue;
      const first = Math.min(...starts);
      consider(words, combo.sign, first, first + (combo.parts[starts.indexOf(first)]?.length ?? 1), combo.parts.map((part) => part.join(' ')).join(' + '));
    }
  }
  return found;
}

function indexOfPhrase(words: readonly string[], phrase: readonly string[], from = 0): number {
  for (let start = from; start + phrase.length <= words.length; start++) {
    if (phrase.every((word, offset) => words[start + offset] === word)) return start;
  }
  return -1;
}

/** "42", "2.5", "40s", "42bpm", "2,5" as a number; anything else undefined. */
export function readNumber(word: string): number | undefined {
  const match = /^(\d+(?:[.,]\d+)?)(?:s|bpm|mmol|mg)?$/.exec(word);
  return match ? Number(match[1]!.replace(',', '.')) : undefined;
}

/** Where a reported number in range sits next to its cue ("pulse is 42", "12 tablets a day"), if anywhere. */
function readingIn(words: readonly string[], reading: CompiledReading): { start: number; end: number; cue: string } | undefined {
  const inRange = (value: number | undefined): boolean => value !== undefined && reading.within.some(([low, high]) => value >= low && value <= high);
  const reach = 4;
  for (const cue of reading.after) {
    for (let start = indexOfPhrase(words, cue); start >= 0; start = indexOfPhrase(words, cue, start + 1)) {
      // The first number after the cue is the reading ("pulse 42 and bp 120": 42), fillers allowed in between.
      for (let index = start + cue.length; index < Math.min(words.length, start + cue.length + reach + 1); index++) {
        const value = readNumber(words[index] ?? '');
        if (value !== undefined) {
          if (inRange(value)) return { start, end: index + 1, cue: cue.join(' ') };
          break;
        }
        if (!reading.through.has(words[index] ?? '')) break;
      }
    }
  }
  for (const cue of reading.before) {
    for (let start = indexOfPhrase(words, cue); start >= 0; start = indexOfPhrase(words, cue, start + 1)) {
      for (let index = start - 1; index >= Math.max(0, start - reach - 1); index--) {
        const value = readNumber(words[index] ?? '');
        if (value !== undefined) {
          if (inRange(value)) return { start: index, end: start + cue.length, cue: cue.join(' ') };
          break;
        }
        if (!reading.through.has(words[index] ?? '')) break;
      }
    }
  }
  return undefined;
}
