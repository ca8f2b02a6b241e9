import { notFound } from '../lib/errors.js';
import { requireActiveCareTeam, type CareTeam, type CareTeamCreate, type CareTeamRepository } from './careteams/careteams.js';
import type { Page } from './common.js';
import type { StaffCreate, StaffListQuery, StaffMember, StaffRepository } from './staff/staff.js';

/** What the directory routes need from care teams and staff. */
export interface DirectoryService<Create, Update, Query, Item> {
  create(input: Create): Promise<Item>;
  get(id: string): Promise<Item>;
  update(id: string, patch: Update): Promise<Item>;
  deactivate(id: string): Promise<Item>;
  list(query: Query): Promise<Page<Item>>;
}

type ListQuery = { limit: number; cursor?: string; status: 'active' | 'inactive' | 'all' };

export class CareTeamService implements DirectoryService<CareTeamCreate, Partial<CareTeamCreate>, ListQuery, CareTeam> {
  constructor(private readonly careTeams: CareTeamRepository) {}

  create(input: CareTeamCreate): Promise<CareTeam> {
    return this.careTeams.create(input);
  }
  async get(id: string): Promise<CareTeam> {
    return found(await this.careTeams.get(id), 'care team');
  }
  async update(id: string, patch: Partial<CareTeamCreate>): Promise<CareTeam> {
    return found(await this.careTeams.update(id, patch), 'care team');
  }
  async deactivate(id: string): Promise<CareTeam> {
    return found(await this.careTeams.setActive(id, false), 'care team');
  }
  list({ limit, cursor, ...filter }: ListQuery): Promise<Page<CareTeam>> {
    return this.careTeams.list(filter, { limit, cursor });
  }
}

export class StaffService implements DirectoryService<StaffCreate, Partial<StaffCreate>, StaffListQuery, StaffMember> {
  constructor(private readonly staff: StaffRepository, private readonly careTeams: CareTeamRepository) {}

  async create(input: StaffCreate): Promise<StaffMember> {
    await requireActiveCareTeam(this.careTeams, input.careTeamId);
    return this.staff.create(input);
  }
  async get(id: string): Promise<StaffMember> {
    return found(await this.staff.get(id), 'staff member');
  }
  async update(id: string, patch: Partial<StaffCreate>): Promise<StaffMember> {
    if (patch.careTeamId) await requireActiveCareTeam(this.careTeams, patch.careTeamId);
    return found(await this.staff.update(id, patch), 'staff member');
  }
  async deactivate(id: string): Promise<StaffMember> {
    return found(await this.staff.setActive(id, false), 'staff member');
  }
  list({ limit, cursor, ...filter }: StaffListQuery): Promise<Page<StaffMember>> {
    return this.staff.list(filter, { limit, cursor });
  }

}

function found<T>(item: T | undefined, what: string): T {
  if (!item) throw notFound(what);
  return item;
}
