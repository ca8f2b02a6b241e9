import type { Model } from 'mongoose';
import type { CareTeam, CareTeamCreate, CareTeamRepository } from '../../domain/careteams/careteams.js';
import type { Page, PageRequest } from '../../domain/common.js';
import type { StaffCreate, StaffFilter, StaffMember, StaffRepository } from '../../domain/staff/staff.js';
import type { Models } from '../models.js';
import { findPage, statusFilter, withId } from '../paging.js';

/**
 * The plain CRUD shared by care teams and staff: documents with `active`, found by _id, listed by keyset.
 */
class DirectoryRepository<Input extends object, View> {
  constructor(private readonly model: Model<Record<string, unknown>>) {}

  protected readonly toView = (doc: unknown): View => withId(doc as { _id: unknown }) as View;

  async create(input: Input): Promise<View> {
    const doc = await this.model.create({ ...input, active: true });
    return this.toView(doc.toObject());
  }

  async get(id: string): Promise<View | undefined> {
    const doc = await this.model.findById(id).lean();
    return doc ? this.toView(doc) : undefined;
  }

  async update(id: string, changes: Partial<Input>): Promise<View | undefined> {
    const doc = await this.model.findByIdAndUpdate(id, { $set: changes as Record<string, unknown> }, { returnDocument: 'after' }).lean();
    return doc ? this.toView(doc) : undefined;
  }

  async setActive(id: string, active: boolean): Promise<View | undefined> {
    const doc = await this.model.findByIdAndUpdate(id, { $set: { active } }, { returnDocument: 'after' }).lean();
    return doc ? this.toView(doc) : undefined;
  }

  protected page(query: Record<string, unknown>, page: PageRequest): Promise<Page<View>> {
    return findPage(this.model, query, page, this.toView);
  }
}

export class MongoCareTeamRepository extends DirectoryRepository<CareTeamCreate, CareTeam> implements CareTeamRepository {
  constructor(models: Models) {
    super(models.CareTeam as unknown as Model<Record<string, unknown>>);
  }

  list(filter: { status: 'active' | 'inactive' | 'all' }, page: PageRequest): Promise<Page<CareTeam>> {
    return this.page(statusFilter(filter.status), page);
  }
}

export class MongoStaffRepository extends DirectoryRepository<StaffCreate, StaffMember> implements StaffRepository {
  constructor(models: Models) {
    super(models.Staff as unknown as Model<Record<string, unknown>>);
  }

  list(filter: StaffFilter, page: PageRequest): Promise<Page<StaffMember>> {
    const query: Record<string, unknown> = statusFilter(filter.status);
    if (filter.careTeamId) query.careTeamId = filter.careTeamId;
    if (filter.role) query.role = filter.role;
    return this.page(query, page);
  }
}
