import { z } from 'zod';
import { idSchema, languageSchema, listQueryBase, phoneSchema, timeZoneSchema } from '../common.js';
import { consentInputSchema } from '../consent/consent.js';
import { quietHoursSchema } from '../messaging/quiet-hours.js';

const dateOfBirth = z.iso.date('expected a date as YYYY-MM-DD').refine((value) => value >= '1900-01-01' && value <= new Date().toISOString().slice(0, 10), 'expected a date between 1900-01-01 and today');

const patientFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  phone: phoneSchema,
  timeZone: timeZoneSchema,
  language: languageSchema,
  dateOfBirth: dateOfBirth,
  careTeamId: idSchema,
  consent: consentInputSchema,
  /** The patient's own quiet hours in their zone; null (or absent) keeps the deployment's QUIET_HOURS. */
  quietHours: quietHoursSchema.nullable(),
});

/** The patient JSON integrators send (names are a contract: other issues and integrations rely on them). */
export const patientCreateSchema = patientFields.extend({ language: languageSchema.default('en'), consent: consentInputSchema.default({}), quietHours: quietHoursSchema.nullable().optional() });
export type PatientCreate = z.infer<typeof patientCreateSchema>;

/** A change: only the fields sent, no defaults (a PATCH without `language` keeps the language). */
export const patientUpdateSchema = patientFields.partial().refine((patch) => Object.keys(patch).length > 0, 'expected at least one field to change');
export type PatientUpdate = z.infer<typeof patientUpdateSchema>;

export const patientListQuerySchema = listQueryBase.extend({
  careTeamId: idSchema.optional(),
  phone: phoneSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
}).strict();
export type PatientListQuery = z.infer<typeof patientListQuerySchema>;

/** The patient as the API returns it. */
export const patientViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  phone: z.string(),
  timeZone: z.string(),
  language: z.string(),
  dateOfBirth: z.string(),
  careTeamId: idSchema,
  consent: z.object({ sms: z.boolean(), webchat: z.boolean() }),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PatientView = z.infer<typeof patientViewSchema>;
