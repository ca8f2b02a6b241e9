/**
 * The condition language of escalation rules: JSON an integrator can write and a clinician can read, validated
 * with zod and compiled once into a predicate over an event.
 *
 *   { all: [...] } | { any: [...] } | { not: c } | { event: "triage" | [...] } | { fact, op, value }
 *
 * Operators: == != < <= > >= in exists. A fact that is missing or of another type makes a comparison false, so a
 * rule never fires on a number nobody gave (`not` of such a comparison is true: write `temperature_c < 38` to
 * mean "given and below"). `in` holds when the fact (or, for a list fact, any element of it) is listed.
 * Where a condition pins the event type (an `event` beside the comparison in an `all`), fact names and values
 * are checked against that type's catalogue (events.ts), so `temprature_c` fails the save instead of never
 * firing. Depth and size are bounded: a stored rule can never be a denial of service.
 */
import { z } from 'zod';
import { EVENT_FACTS, EVENT_TYPES, factSpec, type EscalationEvent, type EventType, type FactSpec } from './events.js';

export const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

/** One comparison of a fact; `exists` takes no value, `in` a list, the ordering operators a number. */
export type Comparison =
  | { fact: string; op: '==' | '!='; value: number | string | boolean }
  | { fact: string; op: '<' | '<=' | '>' | '>='; value: number }
  | { fact: string; op: 'in'; value: (string | number)[] }
  | { fact: string; op: 'exists' };

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { event: EventType | EventType[] }
  | Comparison;

/** Bounds on one condition: nesting depth, nodes in all, entries of one list, length of one text value. */
export const CONDITION_LIMITS = { depth: 8, nodes: 100, list: 50, text: 200 } as const;

type Path = (string | number)[];
const expectOneOf = (values: readonly string[]) => () => `expected one of ${values.join(' ')}`;
const eventTypeSchema = z.enum(EVENT_TYPES, { error: expectOneOf(EVENT_TYPES) });
const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const textValue = z.string().max(CONDITION_LIMITS.text);
const children = z.array(z.unknown()).min(1, 'expected at least one condition').max(CONDITION_LIMITS.nodes);
const NODE_SCHEMAS = {
  all: z.strictObject({ all: children }),
  any: z.strictObject({ any: children }),
  not: z.strictObject({ not: z.unknown() }),
  event: z.strictObject({ event: z.union([eventTypeSchema, z.array(eventTypeSchema).min(1).max(EVENT_TYPES.length)], { error: expectOneOf(EVENT_TYPES) }) }),
  fact: z.strictObject({
    // Lower-case names only: no `$where`, no dotted paths, nothing a database or a template could read as syntax.
    fact: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a fact name in lower_snake_case'),
    op: z.enum(OPERATORS, { error: expectOneOf(OPERATORS) }),
    value: z.unknown().optional(),
  }),
} as const;
type NodeKind = keyof typeof NODE_SCHEMAS;
const NODE_KINDS = Object.keys(NODE_SCHEMAS) as NodeKind[];
const VALUE_SCHEMAS: Record<Operator, z.ZodType> = {
  '==': z.union([finite, textValue, z.boolean()], { error: 'expected a number, text or true/false' }),
  '!=': z.union([finite, textValue, z.boolean()], { error: 'expected a number, text or true/false' }),
  '<': finite, '<=': finite, '>': finite, '>=': finite,
  in: z.array(z.union([textValue, finite], { error: 'expected text or a number' })).min(1).max(CONDITION_LIMITS.list),
  exists: z.undefined({ error: 'exists takes no value' }),
};

/** Why `spec` cannot satisfy `op value`, or undefined when it can. */
function mismatch(fact: string, spec: FactSpec, op: Operator, value: unknown): string | undefined {
  if (op === 'exists') return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (spec.kind === 'string[]') return op === 'in' ? undefined : `${fact} is a list: compare it with in`;
  if (!['==', '!=', 'in'].includes(op) && spec.kind !== 'number') return `${fact} is not a number: ${op} compares numbers`;
  for (const entry of values) {
    if (spec.kind === 'number' && typeof entry !== 'number') return `${fact} is a number, not ${JSON.stringify(entry)}`;
    if (spec.kind === 'boolean' && typeof entry !== 'boolean') return `${fact} is true or false, not ${JSON.stringify(entry)}`;
    if (spec.kind === 'string' && (typeof entry !== 'string' || (spec.values && !spec.values.includes(entry)))) {
      return spec.values ? `${fact} is one of ${spec.values.join(' ')}, not ${JSON.stringify(entry)}` : `${fact} is text, not ${JSON.stringify(entry)}`;
    }
  }
  if (spec.kind === 'number' && typeof value === 'number' && ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))) {
    return `${fact} ranges ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}: ${value} is outside`;
  }
  return undefined;
}

/** Walks one condition tree, reporting each fault at its path; stops at the depth and size bounds. */
class Checker {
  private nodes = 0;
  constructor(private readonly report: (path: Path, message: string) => void) {}

  check(node: unknown, path: Path, depth: number, pinned: ReadonlySet<EventType> | undefined): void {
    if (++this.nodes > CONDITION_LIMITS.nodes) {
      if (this.nodes === CONDITION_LIMITS.nodes + 1) this.report(path, `more than ${CONDITION_LIMITS.nodes} conditions in one rule`);
      return;
    }
    if (depth > CONDITION_LIMITS.depth) return this.report(path, `nested deeper than ${CONDITION_LIMITS.depth} levels`);
    const kind = typeof node === 'object' && node !== null && !Array.isArray(node) ? NODE_KINDS.find((key) => Object.hasOwn(node, key)) : undefined;
    if (!kind) {
      const keys = typeof node === 'object' && node !== null && !Array.isArray(node) ? Object.keys(node) : [];
      const got = keys.length > 0 ? `unknown key ${keys.map((key) => JSON.stringify(key)).join(', ')}: ` : '';
      return this.report(path, `${got}expected a condition: { all }, { any }, { not }, { event } or { fact, op, value }`);
    }
    const parsed = NODE_SCHEMAS[kind].safeParse(node);
    if (!parsed.success) return this.reportAll(parsed.error, path);
    const data = parsed.data as Record<string, unknown>;
    if (kind === 'all') return this.checkAll(data.all as unknown[], [...path, 'all'], depth, pinned);
    if (kind === 'any') return (data.any as unknown[]).forEach((child, index) => this.check(child, [...path, 'any', index], depth + 1, pinned));
    if (kind === 'not') return this.check(data.not, [...path, 'not'], depth + 1, pinned);
    if (kind === 'fact') this.checkComparison(data as { fact: string; op: Operator; value?: unknown }, path, pinned);
  }

  /** An `event` directly inside an `all` pins the event type for its siblings (and everything below them). */
  private checkAll(items: unknown[], path: Path, depth: number, pinned: ReadonlySet<EventType> | undefined): void {
    let narrowed = pinned;
    for (const item of items) {
      const event = NODE_SCHEMAS.event.safeParse(item);
      if (!event.success) continue;
      const types = new Set(([] as EventType[]).concat(event.data.event));
      narrowed = new Set([...(narrowed ?? types)].filter((type) => types.has(type)));
    }
    if (narrowed && narrowed.size === 0) this.report(path, 'can never match: the event types it requires exclude each other');
    items.forEach((child, index) => this.check(child, [...path, index], depth + 1, narrowed));
  }

  private checkComparison(leaf: { fact: string; op: Operator; value?: unknown }, path: Path, pinned: ReadonlySet<EventType> | undefined): void {
    const value = VALUE_SCHEMAS[leaf.op].safeParse(leaf.value);
    if (!value.success) return this.reportAll(value.error, [...path, 'value']);
    if (!pinned || pinned.size === 0) return;
    const specs = [...pinned].flatMap((type) => factSpec(type, leaf.fact) ?? []);
    if (specs.length === 0) {
      const known = [...new Set([...pinned].flatMap((type) => Object.keys(EVENT_FACTS[type])))];
      return this.report([...path, 'fact'], `unknown fact "${leaf.fact}" for ${[...pinned].join(' or ')} (known: ${known.join(' ') || 'none'})`);
    }
    const problems = specs.map((spec) => mismatch(leaf.fact, spec, leaf.op, leaf.value));
    if (problems.every((problem) => problem !== undefined)) this.report([...path, 'value'], problems[0]!);
  }

  private reportAll(error: z.ZodError, path: Path): void {
    for (const issue of error.issues) this.report([...path, ...(issue.path as Path)], issue.message);
  }
}

/** Validates a condition; in a zod object each fault carries its path (`condition.all[1].op`). */
export const conditionSchema = z.custom<Condition>().superRefine((value, ctx) => {
  new Checker((path, message) => ctx.addIssue({ code: 'custom', path, message })).check(value, [], 1, undefined);
});

/** `condition.all[1].op` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join('');
}

/** Every issue as `path: message`, joined for one readable error. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`).join('; ');
}

/** A compiled condition: true when the event satisfies it. Never throws, whatever the facts hold. */
export type EventPredicate = (event: EscalationEvent) => boolean;

function factOf(event: EscalationEvent, name: string): unknown {
  const facts: unknown = event?.facts;
  if (typeof facts !== 'object' || facts === null) return undefined;
  // hasOwn, not `facts[name]`: a fact named "constructor" must not find Object's prototype.
  return Object.hasOwn(facts, name) ? (facts as Record<string, unknown>)[name] : undefined;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const ORDER: Record<'<' | '<=' | '>' | '>=', (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
};

function compileComparison(leaf: Comparison): EventPredicate {
  const { fact } = leaf;
  switch (leaf.op) {
    case 'exists':
      return (event) => factOf(event, fact) != null;
    case 'in': {
      const listed = new Set<unknown>(leaf.value);
      return (event) => {
        const found = factOf(event, fact);
        return Array.isArray(found) ? found.some((entry) => listed.has(entry)) : (typeof found === 'string' || isNumber(found)) && listed.has(found);
      };
    }
    case '==':
    case '!=': {
      const { value } = leaf;
      const equal = leaf.op === '==';
      return (event) => {
        const found = factOf(event, fact);
        if (typeof found !== typeof value || (typeof found === 'number' && !Number.isFinite(found))) return false;
        return (found === value) === equal;
      };
    }
    default: {
      const compare = ORDER[leaf.op];
      const { value } = leaf;
      return (event) => {
        const found = factOf(event, fact);
        return isNumber(found) && compare(found, value);
      };
    }
  }
}

function compileNode(node: Condition): EventPredicate {
  if ('all' in node) {
    const parts = node.all.map(compileNode);
    return (event) => parts.every((part) => part(event));
  }
  if ('any' in node) {
    const parts = node.any.map(compileNode);
    return (event) => parts.some((part) => part(event));
  }
  if ('not' in node) {
    const inner = compileNode(node.not);
    return (event) => !inner(event);
  }
  if ('event' in node) {
    const types = new Set<unknown>(([] as EventType[]).concat(node.event));
    return (event) => types.has(event?.type);
  }
  return compileComparison(node);
}

/** Validates (again: a caller may build one in code) and compiles a condition once. */
export function compileCondition(input: unknown): EventPredicate {
  const parsed = conditionSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid condition: ${describeIssues({ issues: parsed.error.issues.map((issue) => ({ ...issue, path: ['condition', ...issue.path] })) })}`);
  return compileNode(parsed.data);
}
