/**
 * The escalation rules in force: the integrator's stored rules first (on a tie of severity the first rule
 * explains the alert), then the reviewed defaults. Stored rules are compiled once per change, not per event:
 * they are read again after `refreshMs`, or at once in the process that changed them (`invalidate`).
 */
import type { Clock } from '../../lib/clock.js';
import { compileRules, type CompiledRule, type IdentifiedRule } from './rules.js';

/** The rules an event is evaluated against. */
export interface RuleSource {
  current(): Promise<readonly CompiledRule[]>;
}

export interface RuleBookDeps {
  defaults: readonly CompiledRule[];
  /** Enabled stored rules, in their order; absent: the defaults only. */
  loadStored?: () => Promise<IdentifiedRule[]>;
  clock: Clock;
  /** How stale another instance's rule change may be here; default 10 s. */
  refreshMs?: number;
}

export class RuleBook implements RuleSource {
  private cached: { rules: readonly CompiledRule[]; at: number } | undefined;
  private loading: Promise<readonly CompiledRule[]> | undefined;

  constructor(private readonly deps: RuleBookDeps) {}

  async current(): Promise<readonly CompiledRule[]> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < (this.deps.refreshMs ?? 10_000)) return this.cached.rules;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Forgets the cached stored rules (this process just changed them). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async load(now: number): Promise<readonly CompiledRule[]> {
    const stored = this.deps.loadStored ? compileRules(await this.deps.loadStored()) : [];
    const rules = [...stored, ...this.deps.defaults];
    this.cached = { rules, at: now };
    return rules;
  }
}
