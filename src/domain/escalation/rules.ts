/**
 * Escalation rules: when an event needs a person, how urgently, which team and which paging policy. Rules are
 * data (an integrator's API call, or the reviewed defaults in content/clinical/escalation); this file validates
 * them, compiles each condition once, evaluates an event against all of them and picks the one that decides.
 */
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { idSchema } from '../common.js';
import { compileCondition, conditionSchema, describeIssues, formatPath, type EventPredicate } from './condition.js';
import type { EscalationEvent } from './events.js';
import { escalationPolicySchema, type EscalationPolicy } from './policy.js';

/** Most severe first: the order `decide` ranks by. */
export const SEVERITIES = ['critical', 'high', 'normal'] as const;
export type Severity = (typeof SEVERITIES)[number];
const RANK: Record<Severity, number> = { critical: 0, high: 1, normal: 2 };

/** A rule as an integrator writes it. */
export const escalationRuleSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).optional(),
  enabled: z.boolean().default(true),
  condition: conditionSchema,
  severity: z.enum(SEVERITIES, { error: () => `expected one of ${SEVERITIES.join(' ')}` }),
  /** Absent: the alert goes to the patient's own care team. */
  careTeamId: idSchema.optional(),
  /** Absent: the care team's policy, or the default policy. */
  policy: escalationPolicySchema.optional(),
  /** What the patient is told when this rule decides (e.g. "Call 911 now."); absent: nothing more. */
  patientAdvice: z.string().trim().min(1).max(500).optional(),
});
export type EscalationRule = z.infer<typeof escalationRuleSchema>;
export type EscalationRuleInput = z.input<typeof escalationRuleSchema>;

/** A rule id: a database id, or a dotted slug for the defaults (`postop.fever`). */
export const ruleIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'expected a rule id (letters, digits, . _ : -)');

/** A rule as stored: every change makes a new version, so an alert can name exactly what decided it. */
export const storedEscalationRuleSchema = escalationRuleSchema.extend({
  id: ruleIdSchema,
  version: z.int().min(1),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type StoredEscalationRule = z.infer<typeof storedEscalationRuleSchema>;

/** What compiling needs: a valid rule with its identity (stored rules and the defaults both have one). */
export type IdentifiedRule = EscalationRule & { id: string; version: number };

/** A rule ready to evaluate: its data (and whatever else the caller keeps with it), its condition compiled once. */
export type CompiledRule<R extends IdentifiedRule = IdentifiedRule> = Readonly<R> & { readonly matches: EventPredicate };

/** One rule that matched an event: what `decide` and an alert need from it (`snapshot` copies it for keeps). */
export interface Match {
  ruleId: string;
  ruleVersion: number;
  ruleName: string;
  severity: Severity;
  careTeamId?: string;
  policy?: EscalationPolicy;
  patientAdvice?: string;
}

/** The outcome for one event: the most severe match decides; every match is kept as the reason. */
export interface Decision {
  severity: Severity;
  /** Ids of every matching rule, most severe first, rule order within a severity: `rules[0]` decided. */
  rules: string[];
  /** Absent: the patient's own care team (the event's `careTeamId`). */
  careTeamId?: string;
  /** Absent: the team's policy, or the default. */
  policy?: EscalationPolicy;
  patientAdvice?: string;
  /** The matches in the order of `rules`. */
  matches: Match[];
}

/** Freezes a plain-data copy all the way down (the copies rules and snapshots hand out are read-only). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parses an integrator's rule; a fault names its path (`condition.all[1].op: expected one of ...`). */
export function parseEscalationRule(input: unknown): EscalationRule {
  const parsed = escalationRuleSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', `escalation rule is not valid: ${describeIssues(parsed.error)}`, {
    issues: parsed.error.issues.map((issue) => ({ field: formatPath(issue.path) || '(root)', message: issue.message })),
  });
}

/**
 * Compiles one rule. The condition is checked again, so a rule built in code meets the same bounds; the rule is
 * copied and frozen, so changing the caller's object later changes neither what matches nor what a match says.
 */
export function compileRule<R extends IdentifiedRule>(rule: R): CompiledRule<R> {
  let matches: EventPredicate;
  try {
    matches = compileCondition(rule.condition);
  } catch (cause) {
    throw new Error(`escalation rule ${rule.id} (${rule.name}): ${(cause as Error).message}`, { cause });
  }
  // A compiled rule may be compiled again (a reload): its old predicate is not data, and is replaced.
  const { matches: _previous, ...data } = rule as R & { matches?: unknown };
  return Object.freeze({ ...deepFreeze(structuredClone(data)), matches }) as CompiledRule<R>;
}

/** Compiles rules in order, refusing a list where two rules share an id (a match must name one rule). */
export function compileRules<R extends IdentifiedRule>(rules: readonly R[]): CompiledRule<R>[] {
  const seen = new Set<string>();
  return rules.map((rule) => {
    if (seen.has(rule.id)) throw new Error(`escalation rule id ${rule.id} is used twice`);
    seen.add(rule.id);
    return compileRule(rule);
  });
}

function matchOf(rule: CompiledRule): Match {
  return {
    ruleId: rule.id,
    ruleVersion: rule.version,
    ruleName: rule.name,
    severity: rule.severity,
    ...(rule.careTeamId !== undefined ? { careTeamId: rule.careTeamId } : {}),
    ...(rule.policy !== undefined ? { policy: rule.policy } : {}),
    ...(rule.patientAdvice !== undefined ? { patientAdvice: rule.patientAdvice } : {}),
  };
}

/** Every enabled rule that matches the event, in rule order. */
export function evaluate(rules: readonly CompiledRule[], event: EscalationEvent): Match[] {
  return rules.filter((rule) => rule.enabled && rule.matches(event)).map(matchOf);
}

/**
 * The decision for a set of matches, or undefined when none matched. The most severe wins; on a tie the first by
 * rule order. Team and policy come from the winner alone (they belong together); advice from the first rule
 * at the winning severity that has any, so "call 911" is never lost to a tie, nor replaced by a milder rule's.
 */
export function decide(matches: readonly Match[]): Decision | undefined {
  const ranked = matches.map((match, order) => ({ match, order })).sort((a, b) => RANK[a.match.severity] - RANK[b.match.severity] || a.order - b.order).map(({ match }) => match);
  const winner = ranked[0];
  if (!winner) return undefined;
  const advice = ranked.find((match) => match.severity === winner.severity && match.patientAdvice !== undefined)?.patientAdvice;
  return {
    severity: winner.severity,
    rules: ranked.map((match) => match.ruleId),
    ...(winner.careTeamId !== undefined ? { careTeamId: winner.careTeamId } : {}),
    ...(winner.policy !== undefined ? { policy: winner.policy } : {}),
    ...(advice !== undefined ? { patientAdvice: advice } : {}),
    matches: ranked,
  };
}

/** What an alert keeps of its decision: a deep, frozen copy that no later rule or policy change can alter. */
export interface DecisionSnapshot {
  readonly severity: Severity;
  readonly rules: readonly { readonly id: string; readonly version: number; readonly name: string; readonly severity: Severity }[];
  readonly careTeamId?: string;
  readonly policy?: EscalationPolicy;
  readonly patientAdvice?: string;
}

/** Copies what an alert must keep (rule ids, versions, severity, team, policy, advice) out of a decision. */
export function snapshot(decision: Decision): DecisionSnapshot {
  return deepFreeze(structuredClone({
    severity: decision.severity,
    rules: decision.matches.map((match) => ({ id: match.ruleId, version: match.ruleVersion, name: match.ruleName, severity: match.severity })),
    ...(decision.careTeamId !== undefined ? { careTeamId: decision.careTeamId } : {}),
    ...(decision.policy !== undefined ? { policy: decision.policy } : {}),
    ...(decision.patientAdvice !== undefined ? { patientAdvice: decision.patientAdvice } : {}),
  }));
}
