import { AppError, notFound } from '../../lib/errors.js';
import { requireActiveCareTeam, type CareTeamRepository } from '../careteams/careteams.js';
import type { Page, PageRequest } from '../common.js';
import type { RuleBook } from './rule-book.js';
import { compileRule, parseEscalationRule, type StoredEscalationRule } from './rules.js';

/** Stored escalation rules: every change is a new version, and every version is kept. */
export interface EscalationRuleRepository {
  create(rule: Omit<StoredEscalationRule, 'id' | 'version' | 'createdAt' | 'updatedAt'>): Promise<StoredEscalationRule>;
  get(id: string): Promise<StoredEscalationRule | undefined>;
  /** Replaces the rule with `version + 1`; undefined when there is no such rule. */
  replace(id: string, rule: Omit<StoredEscalationRule, 'id' | 'version' | 'createdAt' | 'updatedAt'>): Promise<StoredEscalationRule | undefined>;
  /** Removes the rule from the rules in force (its versions stay); false when there was none. */
  remove(id: string): Promise<boolean>;
  list(page: PageRequest): Promise<Page<StoredEscalationRule>>;
  /** Every enabled rule, in creation order: what the rule book compiles. */
  enabled(): Promise<StoredEscalationRule[]>;
  /** One earlier version. */
  version(id: string, version: number): Promise<StoredEscalationRule | undefined>;
}

/**
 * The escalation rules API's service: validates (a malformed rule is a 400 naming the path and the reason; a
 * condition that does not compile is refused the same way), checks the care team, stores a new version, and tells
 * this process's rule book. Alerts raised before a change keep the snapshot of the rules that decided them.
 */
export class EscalationRuleService {
  constructor(private readonly deps: { rules: EscalationRuleRepository; careTeams: CareTeamRepository; book: RuleBook }) {}

  async create(input: unknown): Promise<StoredEscalationRule> {
    const rule = await this.validate(input);
    const stored = await this.deps.rules.create(rule);
    this.deps.book.invalidate();
    return stored;
  }

  async get(id: string): Promise<StoredEscalationRule> {
    const rule = await this.deps.rules.get(id);
    if (!rule) throw notFound('escalation rule');
    return rule;
  }

  async replace(id: string, input: unknown): Promise<StoredEscalationRule> {
    const rule = await this.validate(input);
    const stored = await this.deps.rules.replace(id, rule);
    if (!stored) throw notFound('escalation rule');
    this.deps.book.invalidate();
    return stored;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.rules.remove(id))) throw notFound('escalation rule');
    this.deps.book.invalidate();
  }

  list(page: PageRequest): Promise<Page<StoredEscalationRule>> {
    return this.deps.rules.list(page);
  }

  private async validate(input: unknown) {
    const rule = parseEscalationRule(input);
    try {
      compileRule({ ...rule, id: 'candidate', version: 1 });
    } catch (cause) {
      throw new AppError('validation_failed', `escalation rule is not valid: ${(cause as Error).message.replace(/^escalation rule candidate \([^)]*\): /, '')}`);
    }
    if (rule.careTeamId) await requireActiveCareTeam(this.deps.careTeams, rule.careTeamId);
    return rule;
  }
}
