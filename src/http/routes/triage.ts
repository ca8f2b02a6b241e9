import { z } from 'zod';
import type { Role } from '../../domain/auth/keys.js';
import type { SymptomCheckService } from '../../domain/symptoms/service.js';
import type { RouteTable } from '../route.js';

const ANY_ROLE: readonly Role[] = ['admin', 'clinician', 'integration'];

/** What a symptom check takes: free text as a patient would write it. */
export const triageRequestSchema = z.strictObject({
  text: z.string().trim().min(1, 'expected a description of the symptoms').max(10_000, 'expected at most 10,000 characters'),
  age: z.number().min(0).max(125).optional(),
  sex: z.enum(['female', 'male', 'other']).optional(),
});

/** POST /api/v1/triage: the same engine as the chat and the CLI, with the rule that decided and why. */
export function triageRoutes(routes: RouteTable, symptoms: SymptomCheckService): void {
  routes.add({
    method: 'POST', url: '/api/v1/triage', tag: 'triage',
    summary: 'Assess symptoms: emergency, urgent, routine or self_care, with red flags, findings, advice and the deciding rule',
    roles: ANY_ROLE, action: 'triage.assess', body: triageRequestSchema,
    handler: async ({ body }) => {
      const result = await symptoms.assess(body);
      return { level: result.level, redFlags: result.redFlags, findings: result.findings, advice: result.advice, rule: result.rule, followUps: result.followUps };
    },
  });
}
