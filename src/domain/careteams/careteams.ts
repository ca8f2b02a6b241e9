import { AppError } from '../../lib/errors.js';
import { z } from 'zod';
import { idSchema, listQueryBase, timeZoneSchema, type Page, type PageRequest } from '../common.js';

export const careTeamCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  timeZone: timeZoneSchema,
});
export const careTeamUpdateSchema = careTeamCreateSchema.partial().refine((patch) => Object.keys(patch).length > 0, 'expected at least one field to change');
export const careTeamListQuerySchema = listQueryBase.strict();

export const careTeamViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string().optional(),
  timeZone: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CareTeamCreate = z.infer<typeof careTeamCreateSchema>;

export interface CareTeam extends CareTeamCreate {
  id: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CareTeamRepository {
  create(team: CareTeamCreate): Promise<CareTeam>;
  get(id: string): Promise<CareTeam | undefined>;
  update(id: string, changes: Partial<CareTeamCreate>): Promise<CareTeam | undefined>;
  setActive(id: string, active: boolean): Promise<CareTeam | undefined>;
  list(filter: { status: 'active' | 'inactive' | 'all' }, page: PageRequest): Promise<Page<CareTeam>>;
}

/** Patients and staff belong to an active care team; naming another is a 422 on the careTeamId field. */
export async function requireActiveCareTeam(careTeams: CareTeamRepository, careTeamId: string): Promise<void> {
  const team = await careTeams.get(careTeamId);
  if (!team?.active) throw new AppError('unprocessable', 'careTeamId does not name an active care team', { field: 'careTeamId' });
}
