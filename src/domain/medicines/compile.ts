/**
 * Turns the validated table into lookup structures once, at load: every name, brand and misspelling spelled the
 * way the reader spells patient text, class membership closed over `partOf`, and toxicity signs as phrase indexes.
 */
import { addPhrase, createPhraseIndex, createTextReader, type PhraseIndex, type TextReader } from './language.js';
import { PREGNANCY_STATES, type MedicineTable, type PregnancyState, type ToxicityEntry } from './schema.js';

/** A medicine, substance (alcohol, grapefruit) or class, with every group it belongs to (itself included). */
export interface Entity {
  id: string;
  kind: 'medicine' | 'substance' | 'class';
  name: string;
  groups: ReadonlySet<string>;
  source: string;
}

/** What a name in the text points at; `brand` so the answer can say "Doryx (doxycycline)". */
export interface NameHit {
  entityId: string;
  brand: boolean;
}

export interface CompiledToxicity {
  entry: ToxicityEntry;
  phrases: PhraseIndex<string>;
  /** "yellow & vision": every part somewhere in one clause. */
  combos: { sign: string; parts: string[][] }[];
  notFollowedBy: ReadonlyMap<string, ReadonlySet<string>>;
  /** Signs read from a reported number ("pulse is 42"), cues spelled as the reader spells them. */
  readings: CompiledReading[];
}

export interface CompiledReading {
  sign: string;
  after: string[][];
  before: string[][];
  through: ReadonlySet<string>;
  within: readonly (readonly [number, number])[];
}

/** A word that names a medicine or substance only in some company ("drink", "metro"). */
export interface AmbiguousName {
  entityId: string;
  notFollowedBy: ReadonlySet<string>;
  notPrecededBy: ReadonlySet<string>;
}

/** The medicine table, compiled for matching. Build it with loadMedicineCatalog(). */
export interface MedicineCatalog {
  table: MedicineTable;
  reader: TextReader;
  entities: ReadonlyMap<string, Entity>;
  names: PhraseIndex<NameHit>;
  ambiguous: ReadonlyMap<string, AmbiguousName>;
  states: PhraseIndex<PregnancyState>;
  unlisted: { minLength: number; suffixes: readonly string[] };
  toxicity: CompiledToxicity[];
  sourceName(id: string): string;
}

/** Shorter names ("advil", "statin") must be typed right: one edit away from them lies too much English. */
const FUZZY_MIN_LENGTH = 7;

/** Builds the catalog; `problems` lists names that would point at two different entries. */
export function compileCatalog(table: MedicineTable): { catalog: MedicineCatalog; problems: string[] } {
  const problems: string[] = [];
  const reader = createTextReader({ known: vocabulary(table), fuzzyTargets: fuzzyTargets(table) });
  const entities = buildEntities(table);
  const names = createPhraseIndex<NameHit>();
  const owners = new Map<string, string>();
  const addName = (phrase: string, entityId: string, brand: boolean): void => {
    const words = reader.phrase(phrase);
    const key = words.join(' ');
    const owner = owners.get(key);
    if (owner !== undefined && owner !== entityId) problems.push(`name "${phrase}" is given to both ${owner} and ${entityId}`);
    if (owner === undefined) addPhrase(names, words, { entityId, brand });
    owners.set(key, owner ?? entityId);
  };
  for (const entry of table.classes) for (const alias of entry.aliases) addName(alias, entry.id, false);
  const ambiguous = new Map<string, AmbiguousName>();
  for (const entry of table.medicines) {
    addName(entry.id.replace(/-/g, ' '), entry.id, false);
    for (const alias of [...entry.aliases, ...entry.misspellings]) addName(alias, entry.id, false);
    for (const brand of entry.brands) addName(brand, entry.id, true);
    const blockers = new Set(entry.ambiguous?.notFollowedBy.flatMap((word) => reader.phrase(word)));
    const notPrecededBy = new Set(entry.ambiguous?.notPrecededBy.flatMap((word) => reader.phrase(word)));
    for (const word of entry.ambiguous?.words ?? []) ambiguous.set(reader.phrase(word).join(' '), { entityId: entry.id, notFollowedBy: blockers, notPrecededBy });
  }
  const states = createPhraseIndex<PregnancyState>();
  for (const state of PREGNANCY_STATES) for (const phrase of table.states[state]) addPhrase(states, reader.phrase(phrase), state);
  const sourceNames = new Map(table.sources.map((source) => [source.id, source.name]));
  const catalog: MedicineCatalog = {
    table,
    reader,
    entities,
    names,
    ambiguous,
    states,
    unlisted: { minLength: table.unlisted.minLength, suffixes: table.unlisted.suffixes },
    toxicity: table.toxicity.map((entry) => compileToxicity(entry, reader)),
    sourceName: (id) => sourceNames.get(id) ?? id,
  };
  return { catalog, problems };
}

function buildEntities(table: MedicineTable): Map<string, Entity> {
  const parents = new Map(table.classes.map((entry) => [entry.id, entry.partOf]));
  const close = (start: readonly string[]): Set<string> => {
    const groups = new Set<string>();
    const pending = [...start];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (groups.has(next)) continue;
      groups.add(next);
      pending.push(...(parents.get(next) ?? []));
    }
    return groups;
  };
  const entities = new Map<string, Entity>();
  for (const entry of table.classes) {
    entities.set(entry.id, { id: entry.id, kind: 'class', name: entry.name, groups: close([entry.id]), source: entry.source });
  }
  for (const entry of table.medicines) {
    const name = entry.name ?? entry.id.replace(/-/g, ' ');
    entities.set(entry.id, { id: entry.id, kind: entry.kind, name, groups: close([entry.id, ...entry.classes]), source: entry.source });
  }
  return entities;
}

function compileToxicity(entry: ToxicityEntry, reader: TextReader): CompiledToxicity {
  const phrases = createPhraseIndex<string>();
  const combos: { sign: string; parts: string[][] }[] = [];
  const notFollowedBy = new Map<string, ReadonlySet<string>>();
  const readings: CompiledReading[] = [];
  for (const [sign, definition] of Object.entries(entry.signs)) {
    const words = Array.isArray(definition) ? definition : definition.words;
    if (!Array.isArray(definition) && 'notFollowedBy' in definition) {
      notFollowedBy.set(sign, new Set(definition.notFollowedBy.flatMap((word) => reader.phrase(word))));
    }
    if (!Array.isArray(definition) && 'number' in definition) {
      const { after, before, through, within } = definition.number;
      readings.push({
        sign,
        after: after.map((cue) => reader.phrase(cue)),
        before: before.map((cue) => reader.phrase(cue)),
        through: new Set(through.flatMap((word) => reader.phrase(word))),
        within,
      });
    }
    for (const phrase of words) {
      if (phrase.includes('&')) combos.push({ sign, parts: phrase.split('&').map((part) => reader.phrase(part)) });
      else addPhrase(phrases, reader.phrase(phrase), sign);
    }
  }
  return { entry, phrases, combos, notFollowedBy, readings };
}

/** Every word the table uses, so the speller keeps them as written. */
function vocabulary(table: MedicineTable): Set<string> {
  const phrases: string[] = [
    ...table.classes.flatMap((entry) => entry.aliases),
    ...table.medicines.flatMap((entry) => [entry.id, ...entry.aliases, ...entry.brands, ...entry.misspellings,
      ...(entry.ambiguous?.words ?? []), ...(entry.ambiguous?.notFollowedBy ?? []), ...(entry.ambiguous?.notPrecededBy ?? [])]),
    ...Object.values(table.states).flat(),
    ...table.toxicity.flatMap((entry) => Object.values(entry.signs).flatMap(signVocabulary)),
  ];
  return new Set(phrases.flatMap((phrase) => phrase.replace(/'/g, '').split(/[^a-z0-9]+/).filter(Boolean)));
}

function signVocabulary(sign: MedicineTable['toxicity'][number]['signs'][string]): string[] {
  if (Array.isArray(sign)) return sign;
  if ('number' in sign) return [...sign.words, ...sign.number.after, ...sign.number.before, ...sign.number.through];
  return [...sign.words, ...sign.notFollowedBy];
}

/**
 * Long single-word generic names and the pregnancy words: typos of these are read as meant. Brand names are
 * left out on purpose: many sit one or two edits from English ("creator" / Crestor, "accurate" / Accutane), so
 * their common misspellings are listed in the table instead.
 */
function fuzzyTargets(table: MedicineTable): string[] {
  const words = table.medicines.filter((entry) => entry.kind === 'medicine').flatMap((entry) => [entry.id, ...entry.aliases]);
  words.push('pregnant', 'pregnancy', 'breastfeeding');
  return [...new Set(words.filter((word) => /^[a-z]+$/.test(word) && word.length >= FUZZY_MIN_LENGTH))];
}
