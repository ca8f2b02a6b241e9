/**
 * The condition language of the clinical protocol files (content/clinical/triage/*.yaml), compiled once at load.
 *
 * A clinician reads a condition as a sentence: `chest_pain and (sweating or pain_radiating or age >= 40)`.
 *   - a symptom code is true when the symptom is stated and not denied (hedged counts);
 *   - a property names who is ill or their history: `infant`, `pregnant`, `fever`, `recent_surgery` ... (PROPERTIES);
 *   - a measure compares a number: `age >= 65`, `temp >= 39`, `spo2 < 92`, `days(cough) >= 21`; an unknown value
 *     makes the comparison false, so a rule never fires on a number nobody gave;
 *   - `severe(code)`, `mild(code)`, `sudden(code)`, `denied(code)`, `answered(code)`, `flag(name)`;
 *   - `site(code, "right lower|lower right")` tests where it is; `said(code, "crush|pressure")` the words used;
 *   - a term defined in _terms.yaml stands for its own condition;
 *   - `and`, `or`, `not` and parentheses, in the usual order (not, then and, then or).
 * Unknown words fail the load with the file and rule named, so a typo in a protocol can never silently never fire.
 */
import type { Facts } from '../facts.js';

/**
 * A compiled condition. `needs`, when known, lists symptom codes of which at least one must be present for the
 * condition to hold: the engine skips a rule at once when none is (most rules start from a complaint).
 */
export type Condition = ((f: Facts) => boolean) & { needs?: ReadonlySet<string> };

function needing<T extends Condition>(condition: T, needs: Iterable<string> | undefined): T {
  if (needs) condition.needs = new Set(needs);
  return condition;
}

/** What the compiler needs to know about names; the loader supplies it from the lexicon and the term files. */
export interface Vocabulary {
  isSymptom(name: string): boolean;
  term(name: string): Condition | undefined;
}

const PROPERTIES: Record<string, Condition> = {
  fever: (f) => f.fever,
  hypothermic: (f) => f.hypothermic,
  infant: (f) => f.isInfant,
  under_3_months: (f) => f.under3Months,
  child: (f) => f.isChild,
  under_5: (f) => f.under5,
  adult: (f) => !f.isChild,
  older_adult: (f) => f.olderAdult,
  someone_else: (f) => f.findings.subject !== 'self',
  pregnant: (f) => f.pregnant,
  postpartum: (f) => f.history.postpartum === true,
  recent_surgery: (f) => f.recentSurgery,
  immunosuppressed: (f) => f.immunosuppressed,
  chemotherapy: (f) => f.history.chemotherapy === true,
  anticoagulated: (f) => f.history.anticoagulated === true,
  asthma: (f) => f.history.asthma === true,
  copd: (f) => f.history.copd === true,
  heart_disease: (f) => f.history.heartDisease === true,
  diabetes: (f) => f.history.diabetes === true,
  kidney_disease: (f) => f.history.kidneyDisease === true,
  any_symptom: (f) => f.findings.symptoms.some((symptom) => !symptom.negated),
};

type Measure = (f: Facts, args: string[]) => number | undefined;

const MEASURES: Record<string, Measure> = {
  age: (f) => f.age,
  temp: (f) => f.tempC,
  spo2: (f) => f.readings.spo2Pct,
  pulse: (f) => f.readings.pulseBpm,
  systolic: (f) => f.readings.systolic,
  diastolic: (f) => f.readings.diastolic,
  glucose: (f) => f.readings.glucoseMgDl,
  resp_rate: (f) => f.readings.respiratoryRate,
  peak_flow_pct: (f) => f.readings.peakFlowPct,
  weeks_pregnant: (f) => f.history.pregnancyWeeks,
  days_since_surgery: (f) => (f.recentSurgery ? f.history.daysSinceSurgery : undefined),
  days: (f, codes) => f.days(...codes),
  hours: (f, codes) => f.hours(...codes),
  score: (f, codes) => Math.max(-1, ...codes.map((code) => f.get(code)?.score ?? -1)),
};

type Check = (f: Facts, args: string[]) => boolean;

const FUNCTIONS: Record<string, Check> = {
  severe: (f, codes) => f.severe(...codes),
  mild: (f, codes) => codes.every((code) => f.mild(code)),
  sudden: (f, codes) => codes.some((code) => f.get(code)?.onset === 'sudden') || f.flag('sudden_onset'),
  denied: (f, codes) => codes.some((code) => f.answered(code) && !f.has(code)),
  answered: (f, codes) => f.answered(...codes),
  flag: (f, names) => names.some((name) => f.flag(name)),
};

const COMPARE: Record<string, (left: number, right: number) => boolean> = {
  '>=': (l, r) => l >= r, '<=': (l, r) => l <= r, '>': (l, r) => l > r, '<': (l, r) => l < r, '=': (l, r) => l === r,
};

const TOKEN = /\s*(>=|<=|[()<>=,]|"[^"]*"|-?\d+(?:\.\d+)?|[a-z_][a-z0-9_]*)/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match?.[1]) throw new Error(`unexpected "${source.slice(at).trim().slice(0, 20)}"`);
    tokens.push(match[1]);
  }
  return tokens;
}

/** Compiles one condition; throws a readable error naming the first word it cannot read. */
export function compileCondition(source: string, vocabulary: Vocabulary): Condition {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (expected?: string): string => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'more'} at word ${position} of "${source}"`);
    return token;
  };

  const args = (): string[] => {
    take('(');
    const names: string[] = [];
    while (peek() !== ')') {
      names.push(take().replace(/^"|"$/g, ''));
      if (peek() === ',') take(',');
    }
    take(')');
    return names;
  };

  const primary = (): Condition => {
    const token = take();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token === 'site' || token === 'said') {
      const [code = '', words = ''] = args();
      checkCodes([code]);
      const pattern = new RegExp(words);
      return needing(token === 'site' ? (f) => pattern.test(f.get(code)?.site ?? '') : (f) => pattern.test(f.get(code)?.evidence ?? ''), [code]);
    }
    const measure = MEASURES[token];
    if (measure) {
      const measureArgs = peek() === '(' ? args() : [];
      checkCodes(measureArgs.filter(() => token === 'days' || token === 'hours' || token === 'score'));
      const op = take();
      const compare = COMPARE[op];
      const value = Number(take());
      if (!compare || !Number.isFinite(value)) throw new Error(`"${token}" needs a comparison such as ${token} >= 3`);
      const measured: Condition = (f) => {
        const actual = measure(f, measureArgs);
        return actual !== undefined && actual >= 0 && compare(actual, value);
      };
      return needing(measured, measureArgs.length > 0 ? measureArgs : undefined);
    }
    const check = FUNCTIONS[token];
    if (check) {
      const names = args();
      if (token !== 'flag') checkCodes(names);
      return needing((f) => check(f, names), ['severe', 'mild', 'sudden'].includes(token) ? names : undefined);
    }
    const property = PROPERTIES[token];
    if (property) return property;
    if (vocabulary.isSymptom(token)) return needing((f) => f.has(token), [token]);
    const term = vocabulary.term(token);
    if (term) return term;
    throw new Error(`unknown word "${token}" in "${source}"`);
  };

  const checkCodes = (codes: string[]): void => {
    for (const code of codes) if (!vocabulary.isSymptom(code)) throw new Error(`unknown symptom "${code}" in "${source}"`);
  };

  const unary = (): Condition => {
    if (peek() === 'not') {
      take();
      const inner = unary();
      return (f) => !inner(f);
    }
    return primary();
  };

  const and = (): Condition => {
    const parts = [unary()];
    while (peek() === 'and') {
      take();
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0] as Condition;
    // Any one part's needs are needs of the whole; the narrowest skips the most.
    const narrowest = parts.map((part) => part.needs).filter((needs) => needs !== undefined).sort((a, b) => a.size - b.size)[0];
    return needing((f) => parts.every((part) => part(f)), narrowest);
  };

  const or = (): Condition => {
    const parts = [and()];
    while (peek() === 'or') {
      take();
      parts.push(and());
    }
    if (parts.length === 1) return parts[0] as Condition;
    const all = parts.every((part) => part.needs !== undefined) ? parts.flatMap((part) => [...(part.needs ?? [])]) : undefined;
    return needing((f) => parts.some((part) => part(f)), all);
  };

  const condition = or();
  if (position < tokens.length) throw new Error(`unexpected "${tokens[position]}" in "${source}"`);
  return condition;
}
