import { Types } from 'mongoose';
import type { Page, PageRequest } from '../../domain/common.js';
import type { EscalationRuleRepository } from '../../domain/escalation/rule-store.js';
import type { StoredEscalationRule } from '../../domain/escalation/rules.js';
import type { Models } from '../models.js';
import { findPage } from '../paging.js';

type RuleFields = Omit<StoredEscalationRule, 'id' | 'version' | 'createdAt' | 'updatedAt'>;
type RuleDoc = { _id: string; version: number; rule: RuleFields; createdAt: Date; updatedAt: Date };

const toRule = (doc: RuleDoc): StoredEscalationRule => ({ ...doc.rule, id: doc._id, version: doc.version, createdAt: doc.createdAt, updatedAt: doc.updatedAt });

/**
 * Escalation rules in `escalationrules` (the version in force, one per rule) and `escalationruleversions`
 * (`<id>@<version>`, every version ever saved, written first so a version in force always has its record).
 */
export class MongoEscalationRuleRepository implements EscalationRuleRepository {
  constructor(private readonly models: Models) {}

  async create(rule: RuleFields): Promise<StoredEscalationRule> {
    const id = new Types.ObjectId().toHexString();
    await this.models.EscalationRuleVersion.create({ _id: `${id}@1`, ruleId: id, version: 1, rule });
    const doc = await this.models.EscalationRule.create({ _id: id, version: 1, rule });
    return toRule(doc.toObject() as unknown as RuleDoc);
  }

  async get(id: string): Promise<StoredEscalationRule | undefined> {
    const doc = await this.models.EscalationRule.findById(id).lean();
    return doc ? toRule(doc as unknown as RuleDoc) : undefined;
  }

  async replace(id: string, rule: RuleFields): Promise<StoredEscalationRule | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const version = current.version + 1;
    // A unique insert decides between two concurrent changes: the loser's version number is taken.
    await this.models.EscalationRuleVersion.create({ _id: `${id}@${version}`, ruleId: id, version, rule });
    const doc = await this.models.EscalationRule.findByIdAndUpdate(id, { $set: { version, rule } }, { returnDocument: 'after' }).lean();
    return doc ? toRule(doc as unknown as RuleDoc) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.models.EscalationRule.deleteOne({ _id: id })).deletedCount > 0;
  }

  list(page: PageRequest): Promise<Page<StoredEscalationRule>> {
    return findPage(this.models.EscalationRule as never, {}, page, (doc: RuleDoc) => toRule(doc));
  }

  async enabled(): Promise<StoredEscalationRule[]> {
    const docs = (await this.models.EscalationRule.find({}).sort({ createdAt: 1, _id: 1 }).lean()) as unknown as RuleDoc[];
    return docs.map(toRule).filter((rule) => rule.enabled);
  }

  async version(id: string, version: number): Promise<StoredEscalationRule | undefined> {
    const doc = await this.models.EscalationRuleVersion.findById(`${id}@${version}`).lean();
    return doc ? toRule({ ...(doc as unknown as RuleDoc), _id: id }) : undefined;
  }
}
