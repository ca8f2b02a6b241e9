import { z } from 'zod';
import { idSchema } from '../../domain/common.js';
import { patientCreateSchema, patientListQuerySchema, patientUpdateSchema, patientViewSchema } from '../../domain/patients/schema.js';
import type { MedicationService } from '../../domain/medication/service.js';
import type { PostopService } from '../../domain/postop/service.js';
import { toPatientView, type PatientService } from '../../domain/patients/service.js';
import { PATIENT_WRITE, STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

const params = z.strictObject({ id: idSchema });
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** /api/v1/patients: enrollment and upkeep. Every call is audited with the patients it touched. */
export function patientRoutes(routes: RouteTable, patients: PatientService, medication: MedicationService, postop: PostopService): void {
  routes.add({
    method: 'POST', url: '/api/v1/patients', tag: 'patients', summary: 'Enroll a patient',
    roles: PATIENT_WRITE, action: 'patient.create', body: patientCreateSchema, status: 201, response: patientViewSchema,
    handler: async ({ body, req }) => {
      const patient = await patients.create(body, req.actor!);
      req.auditPatientIds = [patient.id];
      return toPatientView(patient);
    },
  });

  routes.add({
    method: 'GET', url: '/api/v1/patients', tag: 'patients', summary: 'List patients (filtered, paginated by cursor)',
    roles: STAFF_READ, action: 'patient.list', query: patientListQuerySchema, response: pageOf(patientViewSchema),
    handler: async ({ query, req }) => {
      const page = await patients.list(query);
      req.auditPatientIds = page.items.map((patient) => patient.id);
      return { items: page.items.map(toPatientView), nextCursor: page.nextCursor };
    },
  });

  routes.add({
    method: 'GET', url: '/api/v1/patients/:id', tag: 'patients', summary: 'Read a patient',
    roles: STAFF_READ, action: 'patient.read', params, response: patientViewSchema,
    handler: async ({ params }) => toPatientView(await patients.get(params.id)),
  });

  routes.add({
    method: 'PATCH', url: '/api/v1/patients/:id', tag: 'patients', summary: 'Change a patient (only the fields sent)',
    roles: PATIENT_WRITE, action: 'patient.update', params, body: patientUpdateSchema, response: patientViewSchema,
    handler: async ({ params, body, req }) => {
      const before = await patients.get(params.id);
      const patient = await patients.update(params.id, body, req.actor!);
      // Reminders and post-op check-ins already scheduled follow a new zone or new quiet hours.
      const moved = before.timeZone !== patient.timeZone || JSON.stringify(before.quietHours ?? null) !== JSON.stringify(patient.quietHours ?? null);
      if (moved) {
        await medication.rescheduleForPatient(patient.id);
        await postop.rescheduleForPatient(patient.id);
      }
      return toPatientView(patient);
    },
  });

  for (const [verb, active] of [['deactivate', false], ['reactivate', true]] as const) {
    routes.add({
      method: 'POST', url: `/api/v1/patients/:id/${verb}`, tag: 'patients',
      summary: active ? 'Reactivate a patient' : 'Deactivate a patient (kept for the record; receives nothing)',
      roles: PATIENT_WRITE, action: `patient.${verb}`, params, response: patientViewSchema,
      handler: async ({ params }) => toPatientView(await patients.setActive(params.id, active)),
    });
  }

  routes.add({
    method: 'GET', url: '/api/v1/patients/:id/consent', tag: 'patients', summary: 'Current consent per channel and purpose, with its history',
    roles: STAFF_READ, action: 'patient.consent.read', params,
    handler: async ({ params }) => {
      const { patient, records } = await patients.consentHistory(params.id);
      return { current: patient.consent, history: records };
    },
  });
}
