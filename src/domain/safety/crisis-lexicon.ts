/**
 * Loads content/clinical/crisis.yaml: the suicide and self-harm lexicon, the screener and the replies, as data a
 * clinician reviews. Validated and compiled once, on first use; a broken file stops CareLoop with the place and
 * the reason. A second language is a second key under `languages` with the same shape: no code changes.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readYaml } from '../language/lexicon.js';
import { buildLexicon, normalizeMessage, type Lexicon } from './normalize.js';
import { PatternCompiler } from './crisis-patterns.js';

/** Crisis kinds, most urgent first: when a message shows several, the first one names it. */
export const CRISIS_KINDS = ['self_harm_in_progress', 'means', 'plan', 'intent', 'lethal_amount', 'ideation', 'passive_wish'] as const;
export type CrisisKind = (typeof CRISIS_KINDS)[number];

export const CRISIS_FILE = fileURLToPath(new URL('../../../content/clinical/crisis.yaml', import.meta.url));

const phraseList = z.array(z.union([z.string().min(1), z.number().transform(String)]).pipe(z.string())).min(1);
const patternSchema = z.union([
  z.string().min(1),
  z.strictObject({ match: z.string().min(1), requires: z.string().optional(), forbids: z.string().optional(), scope: z.enum(['sentence', 'message']).optional() }),
]);
const conceptSchema = z.strictObject({
  role: z.enum(['statement', 'marker', 'mention']),
  kind: z.enum(CRISIS_KINDS),
  level: z.enum(['active', 'passive']).optional(),
  escalates: z.array(z.string()).optional(),
  sources: z.array(z.string()).min(1),
  education_exempt: z.boolean().optional(),
  patterns: z.array(patternSchema).min(1),
}).refine((concept) => (concept.role === 'statement' ? concept.level !== undefined : concept.role === 'mention' || concept.escalates !== undefined), {
  message: 'a statement needs a level, a marker needs escalates',
});
const CONTEXT_LISTS = ['negation', 'clause_turn', 'adjacent_negation', 'pseudo_negation', 'subject_breaker', 'answer_no', 'post_negation', 'history', 'present',
  'education', 'question_start', 'person_self', 'person_specific', 'person_generic', 'person_you', 'person_they', 'relative', 'possessive',
  'concern', 'reported_denial'] as const;
/** A word list the engine itself uses around a match (under `context` in the file). */
export type ContextList = (typeof CONTEXT_LISTS)[number];
const RESPONSES = ['crisis', 'crisis_injury', 'crisis_care_team', 'crisis_not_linked', 'screen_intro', 'screen_positive',
  'screen_positive_not_linked', 'screen_negative', 'clinic_contact'] as const;
const languageSchema = z.strictObject({
  variants: z.record(z.string(), z.union([z.string(), z.number().transform(String)])),
  phrases: z.record(z.string(), z.string()),
  keep_as_is: z.array(z.string()),
  fuzzy: z.array(z.string()),
  split_words: z.array(z.string()),
  sets: z.record(z.string().regex(/^[a-z_]+$/), phraseList),
  concepts: z.record(z.string().regex(/^[a-z_]+$/), conceptSchema),
  figures_of_speech: z.strictObject({ sources: z.array(z.string()).min(1), patterns: z.array(z.string().min(1)).min(1) }),
  context: z.record(z.string().regex(/^[a-z_]+$/), phraseList).refine((lists) => CONTEXT_LISTS.every((name) => name in lists), {
    message: `context needs every list of: ${CONTEXT_LISTS.join(', ')}`,
  }),
  screener: z.strictObject({
    source: z.string(),
    questions: z.array(z.strictObject({ id: z.string(), ask: z.string().min(1) })).min(1),
    acuity: z.strictObject({ id: z.string(), ask: z.string().min(1) }),
    answer_hint: z.string(),
    retry: z.string(),
    answers: z.strictObject({ yes: phraseList, hedges: phraseList, no: phraseList }),
  }),
  responses: z.strictObject(Object.fromEntries(RESPONSES.map((key) => [key, z.string().min(1)])) as Record<(typeof RESPONSES)[number], z.ZodString>),
});
const fileSchema = z.strictObject({
  status: z.enum(['draft', 'reviewed']),
  review: z.string(),
  version: z.number(),
  sources: z.record(z.string(), z.strictObject({ title: z.string(), url: z.string().url() })),
  languages: z.record(z.string().regex(/^[a-z]{2,3}$/), languageSchema),
});

type LanguageData = z.infer<typeof languageSchema>;

/** One pattern of a concept, compiled. */
export interface CompiledPattern {
  regex: RegExp;
  requires?: RegExp;
  forbids?: RegExp;
  scope: 'sentence' | 'message';
}

export interface CompiledConcept {
  id: string;
  role: 'statement' | 'marker' | 'mention';
  kind: CrisisKind;
  level?: 'active' | 'passive';
  /** A marker's statements: the concept ids it escalates. */
  escalates: readonly string[];
  educationExempt: boolean;
  patterns: readonly CompiledPattern[];
}

/** One language of the crisis file, ready to match: its normaliser lexicon, concepts and context lists. */
export interface CrisisLanguage {
  code: string;
  lexicon: Lexicon;
  concepts: readonly CompiledConcept[];
  figures: readonly RegExp[];
  /** A context list as a "contains" test over canonical text. */
  has: Readonly<Record<ContextList, RegExp>>;
  /** Context lists' single-word entries, for word-by-word scans. */
  words: Readonly<Record<ContextList, ReadonlySet<string>>>;
  /** Context lists' entries of several words, spelled ("no longer" -> ["no", "longer"]). */
  phrases: Readonly<Record<ContextList, readonly (readonly string[])[]>>;
  /** Canonical spelling of a phrase, as a message would be spelled. */
  spell: (phrase: string) => string[];
  screener: LanguageData['screener'];
  responses: LanguageData['responses'];
}

function perList<T>(build: (name: ContextList) => T): Record<ContextList, T> {
  return Object.fromEntries(CONTEXT_LISTS.map((name) => [name, build(name)])) as Record<ContextList, T>;
}

function checkSources(used: readonly string[], known: ReadonlySet<string>, where: string): void {
  for (const source of used) if (!known.has(source)) throw new Error(`${where}: unknown source "${source}"`);
}

function compileLanguage(code: string, data: LanguageData, sourceIds: ReadonlySet<string>): CrisisLanguage {
  const where = `crisis.yaml languages.${code}`;
  const lists: Record<string, string[]> = { ...data.sets };
  for (const [name, entries] of Object.entries(data.context)) {
    if (lists[name]) throw new Error(`${where}: "${name}" is both a set and a context list`);
    lists[name] = entries;
  }
  const patterns = [...Object.values(data.concepts).flatMap((concept) => concept.patterns.map((p) => (typeof p === 'string' ? p : p.match))), ...data.figures_of_speech.patterns];
  const answers = Object.values(data.screener.answers).flat();
  const known = [...patterns, ...Object.values(lists).flat(), ...answers, ...data.keep_as_is, ...data.fuzzy]
    .flatMap((text) => text.toLowerCase().replace(/[']/g, '').split(/[^a-z0-9]+/))
    .filter((word) => /^[a-z][a-z0-9]*$/.test(word));
  const lexicon = buildLexicon({
    known,
    variants: Object.entries(data.variants).map(([from, to]) => [from, String(to)]),
    phrases: Object.entries(data.phrases),
    fuzzyTargets: data.fuzzy,
    prefixes: patterns.flatMap((pattern) => pattern.match(/[a-z]+(?=\*)/g) ?? []),
    splittable: data.split_words,
  });
  const spell = (phrase: string): string[] => normalizeMessage(phrase, lexicon).tokens.map((token) => token.word);
  const context = (name: ContextList): string[] => data.context[name] ?? [];
  const compiler = new PatternCompiler(lists, spell, [...context('negation'), ...context('clause_turn')].flatMap(spell));
  const concepts = Object.entries(data.concepts).map(([id, concept]): CompiledConcept => {
    checkSources(concept.sources, sourceIds, `${where}.concepts.${id}`);
    return {
      id, role: concept.role, kind: concept.kind, level: concept.level, escalates: concept.escalates ?? [], educationExempt: concept.education_exempt ?? false,
      patterns: concept.patterns.map((entry, index): CompiledPattern => {
        const at = `${where}.concepts.${id}.patterns[${index}]`;
        const spec = typeof entry === 'string' ? { match: entry } : entry;
        return {
          regex: compiler.regex(spec.match, at),
          requires: spec.requires ? compiler.contains(spec.requires, at) : undefined,
          forbids: spec.forbids ? compiler.contains(spec.forbids, at) : undefined,
          scope: spec.scope ?? 'sentence',
        };
      }),
    };
  });
  for (const concept of concepts) {
    for (const id of concept.escalates) if (data.concepts[id]?.role !== 'statement') throw new Error(`${where}.concepts.${concept.id}: escalates "${id}", which is not a statement`);
  }
  checkSources([...data.figures_of_speech.sources, data.screener.source], sourceIds, where);
  const has = perList((name) => compiler.contains(name, `${where}.context.${name}`));
  const words = perList((name) => new Set(context(name).map(spell).filter((w) => w.length === 1).map((w) => w[0]!)));
  const phrases = perList((name) => context(name).map(spell).filter((w) => w.length > 1));
  const figures = data.figures_of_speech.patterns.map((pattern, index) => compiler.regex(pattern, `${where}.figures_of_speech.patterns[${index}]`));
  return { code, lexicon, concepts, figures, has, words, phrases, spell, screener: data.screener, responses: data.responses };
}

/** Reads, validates and compiles every language of a crisis file. */
export function loadCrisisFile(file = CRISIS_FILE): ReadonlyMap<string, CrisisLanguage> {
  const parsed = fileSchema.safeParse(readYaml(file, 'crisis.yaml'));
  if (!parsed.success) throw new Error(`crisis.yaml: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const sourceIds = new Set(Object.keys(parsed.data.sources));
  return new Map(Object.entries(parsed.data.languages).map(([code, data]) => [code, compileLanguage(code, data, sourceIds)]));
}

let loaded: ReadonlyMap<string, CrisisLanguage> | undefined;

/** The compiled crisis data of a language, loaded on first use; English is the default and the fallback. */
export function crisisLanguage(code = 'en'): CrisisLanguage {
  loaded ??= loadCrisisFile();
  const language = loaded.get(code) ?? loaded.get('en');
  if (!language) throw new Error('crisis.yaml: no English section');
  return language;
}
