/**
 * Loads the default escalation rules (content/clinical/escalation/default-rules.yaml): what every install starts
 * with until an integrator writes its own. A file that does not load stops CareLoop with the file, the rule and
 * the reason, so a rule set is never half applied; a file that does not say it is a draft pending clinician
 * review is refused, as every content/clinical loader refuses one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CLINICAL_DIR } from '../language/lexicon.js';
import { describeIssues } from './condition.js';
import { compileRules, escalationRuleSchema, type CompiledRule } from './rules.js';

export const DEFAULT_RULES_FILE = path.join(CLINICAL_DIR, 'escalation', 'default-rules.yaml');

const DRAFT = /^draft\b/i;
const defaultRuleSchema = escalationRuleSchema.extend({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'expected an id like area.name'),
  source: z.string().min(1),
});
const defaultRulesFileSchema = z.strictObject({
  status: z.string().regex(DRAFT, 'every rule file stays a draft until a clinician has reviewed it'),
  reviewed_by: z.string().nullable().optional(),
  version: z.int().min(1),
  sources: z.record(z.string().regex(/^[a-z0-9_]+$/), z.string().min(1)),
  rules: z.array(defaultRuleSchema).min(1),
});

/** A default rule, compiled, with the source it names and that source's text. */
export type DefaultRule = CompiledRule<z.infer<typeof defaultRuleSchema> & { version: number; sourceText: string }>;

/** The leading comment block must carry `status: draft...` (the reviewer's marker, read before any rule). */
function checkStatusLine(text: string, where: string): void {
  const header: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    header.push(line);
  }
  const status = header.map((line) => /^#\s*status:\s*(.*)$/i.exec(line)?.[1]).find((value) => value !== undefined);
  if (status === undefined || !DRAFT.test(status.trim())) {
    throw new Error(`${where}: the first comment block must say "status: draft, pending clinician review" until a clinician has reviewed it`);
  }
}

/** Loads, validates and compiles the default rules, in file order. */
export function loadDefaultRules(file = DEFAULT_RULES_FILE): DefaultRule[] {
  const where = `escalation rules ${path.basename(file)}`;
  let text: string;
  let data: unknown;
  try {
    text = fs.readFileSync(file, 'utf8');
    data = parse(text);
  } catch (cause) {
    throw new Error(`${where}: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  checkStatusLine(text, where);
  const parsed = defaultRulesFileSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${where}: ${describeIssues(parsed.error)}`);
  const { version, sources, rules } = parsed.data;
  const sourced = rules.map((rule) => {
    const sourceText = Object.hasOwn(sources, rule.source) ? sources[rule.source] : undefined;
    if (sourceText === undefined) throw new Error(`${where}: ${rule.id} names source "${rule.source}", which the file does not list`);
    return { ...rule, version, sourceText };
  });
  try {
    return compileRules(sourced);
  } catch (cause) {
    throw new Error(`${where}: ${(cause as Error).message}`, { cause });
  }
}

let defaults: DefaultRule[] | undefined;

/** The default rules, loaded on first use. */
export function defaultRules(): readonly DefaultRule[] {
  defaults ??= loadDefaultRules();
  return defaults;
}
