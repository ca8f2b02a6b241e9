import { z } from 'zod';
import { idSchema, listQueryBase, phoneSchema, type Page, type PageRequest } from '../common.js';

export const STAFF_ROLES = ['nurse', 'physician', 'care_coordinator', 'pharmacist', 'admin'] as const;

/** Where a staff member receives escalation alerts. */
export const notificationChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sms'), address: phoneSchema }),
  z.strictObject({ type: z.literal('email'), address: z.email('expected an e-mail address') }),
  z.strictObject({ type: z.enum(['teams', 'slack', 'webhook']), address: z.url({ protocol: /^https$/, error: 'expected an https webhook URL' }) }),
]);

const staffFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  phone: phoneSchema.optional(),
  email: z.email('expected an e-mail address').optional(),
  role: z.enum(STAFF_ROLES),
  careTeamId: idSchema,
  notificationChannels: z.array(notificationChannelSchema).max(10),
});
export const staffCreateSchema = staffFields.extend({ notificationChannels: staffFields.shape.notificationChannels.default([]) });
// No defaults in a change: a PATCH without notificationChannels keeps them.
export const staffUpdateSchema = staffFields.partial().refine((patch) => Object.keys(patch).length > 0, 'expected at least one field to change');
export const staffListQuerySchema = listQueryBase.extend({ careTeamId: idSchema.optional(), role: z.enum(STAFF_ROLES).optional() }).strict();

export const staffViewSchema = staffCreateSchema.extend({ id: idSchema, active: z.boolean(), createdAt: z.string(), updatedAt: z.string() });

export type StaffCreate = z.infer<typeof staffCreateSchema>;
export type StaffListQuery = z.infer<typeof staffListQuerySchema>;

export interface StaffMember extends StaffCreate {
  id: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface StaffFilter {
  status: 'active' | 'inactive' | 'all';
  careTeamId?: string;
  role?: (typeof STAFF_ROLES)[number];
}

export interface StaffRepository {
  create(member: StaffCreate): Promise<StaffMember>;
  get(id: string): Promise<StaffMember | undefined>;
  update(id: string, changes: Partial<StaffCreate>): Promise<StaffMember | undefined>;
  setActive(id: string, active: boolean): Promise<StaffMember | undefined>;
  list(filter: StaffFilter, page: PageRequest): Promise<Page<StaffMember>>;
}
