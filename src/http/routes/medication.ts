import { z } from 'zod';
import { idSchema } from '../../domain/common.js';
import { planInputSchema, planPatchSchema, planViewSchema, toPlanView } from '../../domain/medication/plan.js';
import type { MedicationService } from '../../domain/medication/service.js';
import { PATIENT_WRITE, STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

const patientParams = z.strictObject({ id: idSchema });
const planParams = z.strictObject({ id: idSchema, planId: idSchema });
const listQuery = z.strictObject({ status: z.enum(['active', 'ended', 'all']).default('active') });
const bound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected a date (YYYY-MM-DD, local midnight in the patient\'s zone) or a date-time with offset (2025-06-01T08:00:00Z)',
});
const adherenceQuery = z.strictObject({ from: bound.optional(), to: bound.optional() });

const figures = { due: z.number(), taken: z.number(), skipped: z.number(), unconfirmed: z.number(), rate: z.number().nullable() };
const adherenceSchema = z.object({
  from: z.string(),
  to: z.string(),
  overall: z.object(figures),
  plans: z.array(z.object({ planId: z.string(), displayName: z.string(), ...figures })),
  streak: z.number(),
});

/**
 * /api/v1/patients/:id/medication-plans and /adherence. The patient must exist (404 otherwise), and a plan
 * is found only under its own patient. DELETE ends a plan: its dose history stays.
 */
export function medicationRoutes(routes: RouteTable, deps: { medication: MedicationService }): void {
  const { medication } = deps;
  const base = '/api/v1/patients/:id/medication-plans';

  routes.add({
    method: 'POST', url: base, tag: 'medication', summary: 'Create a medication plan (times and dates in the patient\'s zone)',
    roles: PATIENT_WRITE, action: 'medication_plan.create', params: patientParams, body: planInputSchema, status: 201, response: planViewSchema,
    handler: async ({ params, body, req }) => {
      const plan = await medication.create(params.id, body);
      req.auditResource = { type: 'medication_plan', id: plan.id };
      return toPlanView(plan);
    },
  });

  routes.add({
    method: 'GET', url: base, tag: 'medication', summary: 'List a patient\'s medication plans (active by default)',
    roles: STAFF_READ, action: 'medication_plan.list', params: patientParams, query: listQuery, response: z.object({ items: z.array(planViewSchema) }),
    handler: async ({ params, query }) => ({ items: (await medication.list(params.id, query.status)).map(toPlanView) }),
  });

  routes.add({
    method: 'GET', url: `${base}/:planId`, tag: 'medication', summary: 'Read a medication plan',
    roles: STAFF_READ, action: 'medication_plan.read', params: planParams, response: planViewSchema,
    handler: async ({ params, req }) => {
      req.auditResource = { type: 'medication_plan', id: params.planId };
      return toPlanView(await medication.get(params.id, params.planId));
    },
  });

  routes.add({
    method: 'PATCH', url: `${base}/:planId`, tag: 'medication', summary: 'Change a medication plan (only the fields sent; null removes an optional one)',
    roles: PATIENT_WRITE, action: 'medication_plan.update', params: planParams, body: planPatchSchema, response: planViewSchema,
    handler: async ({ params, body, req }) => {
      req.auditResource = { type: 'medication_plan', id: params.planId };
      return toPlanView(await medication.update(params.id, params.planId, body));
    },
  });

  routes.add({
    method: 'DELETE', url: `${base}/:planId`, tag: 'medication', summary: 'End a medication plan now (no further doses; its history is kept)',
    roles: PATIENT_WRITE, action: 'medication_plan.end', params: planParams, response: planViewSchema,
    handler: async ({ params, req }) => {
      req.auditResource = { type: 'medication_plan', id: params.planId };
      return toPlanView(await medication.end(params.id, params.planId));
    },
  });

  routes.add({
    method: 'GET', url: '/api/v1/patients/:id/adherence', tag: 'medication', summary: 'Medication adherence over [from, to) (default: the last 30 days)',
    roles: STAFF_READ, action: 'patient.adherence.read', params: patientParams, query: adherenceQuery, response: adherenceSchema,
    handler: async ({ params, query }) => {
      const { from, to, ...result } = await medication.adherence(params.id, query);
      return { from: from.toISOString(), to: to.toISOString(), ...result };
    },
  });
}
