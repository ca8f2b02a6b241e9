/**
 * Loads the reviewed medicine table and checks it as a whole: the schema first, then every cross-reference
 * (sources, classes, sign ids), so a broken edit stops the process at start with a list of what is wrong
 * instead of giving a patient a half-right answer later.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { compileCatalog, type MedicineCatalog } from './compile.js';
import { medicineTableSchema, type MedicineTable } from './schema.js';

export type { MedicineCatalog } from './compile.js';

/** content/clinical/medicines.yaml at the repository root. */
export const DEFAULT_MEDICINES_FILE = fileURLToPath(new URL('../../../content/clinical/medicines.yaml', import.meta.url));

/** Reads, validates and compiles the medicine table; throws a readable error naming the file and every problem. */
export function loadMedicineCatalog(file: string = DEFAULT_MEDICINES_FILE): MedicineCatalog {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`reading the medicine table ${file}`, { cause });
  }
  return parseMedicineCatalog(text, file);
}

/** Validates and compiles table text; `origin` names it in errors. Exported for tests and tooling. */
export function parseMedicineCatalog(text: string, origin = 'medicine table'): MedicineCatalog {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new Error(`${origin}: not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const parsed = medicineTableSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${origin} is invalid:\n${z.prettifyError(parsed.error)}`);
  const problems = checkReferences(parsed.data);
  if (problems.length > 0) throw new Error(`${origin} is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  const { catalog, problems: compileProblems } = compileCatalog(parsed.data);
  if (compileProblems.length > 0) {
    throw new Error(`${origin} is invalid:\n${compileProblems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return catalog;
}

/** Every reference in the table, checked against what the table defines. */
export function checkReferences(table: MedicineTable): string[] {
  const problems: string[] = [];
  const sources = new Set(table.sources.map((source) => source.id));
  const classes = new Set(table.classes.map((entry) => entry.id));
  const entities = new Set([...classes, ...table.medicines.map((entry) => entry.id)]);
  const expect = (set: ReadonlySet<string>, ids: readonly string[], what: string, where: string): void => {
    for (const id of ids) if (!set.has(id)) problems.push(`${where}: unknown ${what} "${id}"`);
  };
  const unique = (ids: readonly string[], what: string): void => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${what}: id "${id}" is used twice`);
      seen.add(id);
    }
  };
  unique(table.sources.map((source) => source.id), 'sources');
  unique([...table.classes, ...table.medicines].map((entry) => entry.id), 'classes and medicines');
  unique(table.pregnancy.map((rule) => rule.id), 'pregnancy');
  unique(table.interactions.map((rule) => rule.id), 'interactions');
  unique(table.toxicity.map((entry) => entry.id), 'toxicity');

  for (const entry of table.classes) {
    expect(sources, [entry.source], 'source', `class ${entry.id}`);
    expect(classes, entry.partOf, 'class', `class ${entry.id} partOf`);
  }
  for (const entry of table.medicines) {
    expect(sources, [entry.source], 'source', `medicine ${entry.id}`);
    expect(classes, entry.classes, 'class', `medicine ${entry.id}`);
  }
  for (const rule of table.pregnancy) {
    expect(sources, [rule.source], 'source', `pregnancy ${rule.id}`);
    expect(entities, rule.applies, 'medicine or class', `pregnancy ${rule.id}`);
  }
  for (const rule of table.interactions) {
    expect(sources, [rule.source], 'source', `interaction ${rule.id}`);
    for (const side of rule.between) expect(entities, side, 'medicine or class', `interaction ${rule.id}`);
  }
  for (const entry of table.toxicity) {
    expect(sources, [entry.source], 'source', `toxicity ${entry.id}`);
    expect(entities, entry.applies, 'medicine or class', `toxicity ${entry.id}`);
    const signs = new Set(Object.keys(entry.signs));
    for (const rule of entry.rules) expect(signs, [...rule.all, ...rule.anyOf], 'sign', `toxicity ${entry.id} rule`);
  }
  return problems;
}
