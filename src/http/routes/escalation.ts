import { z } from 'zod';
import type { RotationRepository } from '../../domain/alerts/escalation.js';
import type { CareTeamService } from '../../domain/directory.js';
import { idSchema } from '../../domain/common.js';
import { onCallAt, rotationSchema } from '../../domain/escalation/on-call.js';
import type { EscalationRuleService } from '../../domain/escalation/rule-store.js';
import type { StoredEscalationRule } from '../../domain/escalation/rules.js';
import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { ADMIN, STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

const ruleParams = z.strictObject({ id: idSchema });
const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(25), cursor: idSchema.optional() });
/** Rules are validated in the service (parseEscalationRule), whose 400 names the path and the reason. */
const ruleBody = z.record(z.string(), z.unknown(), { error: 'expected a JSON object' });

const ruleView = (rule: StoredEscalationRule) => ({ ...rule, createdAt: rule.createdAt.toISOString(), updatedAt: rule.updatedAt.toISOString() });

/** /api/v1/escalation-rules (versioned CRUD) and /api/v1/care-teams/:id/on-call (the weekly rotation). */
export function escalationRoutes(routes: RouteTable, deps: { rules: EscalationRuleService; rotations: RotationRepository; careTeams: CareTeamService; clock: Clock }): void {
  const base = '/api/v1/escalation-rules';
  routes.add({
    method: 'POST', url: base, tag: 'escalation', summary: 'Create an escalation rule (condition, severity, team, paging policy); version 1',
    roles: ADMIN, action: 'escalation_rule.create', body: ruleBody, status: 201,
    handler: async ({ body, req }) => {
      const rule = await deps.rules.create(body);
      req.auditResource = { type: 'escalation_rule', id: rule.id };
      return ruleView(rule);
    },
  });
  routes.add({
    method: 'GET', url: base, tag: 'escalation', summary: 'Stored escalation rules (the reviewed defaults apply after them)',
    roles: STAFF_READ, action: 'escalation_rule.list', query: listQuery,
    handler: async ({ query }) => {
      const page = await deps.rules.list(query);
      return { items: page.items.map(ruleView), nextCursor: page.nextCursor };
    },
  });
  routes.add({
    method: 'GET', url: `${base}/:id`, tag: 'escalation', summary: 'One escalation rule, its version in force',
    roles: STAFF_READ, action: 'escalation_rule.read', params: ruleParams,
    handler: async ({ params }) => ruleView(await deps.rules.get(params.id)),
  });
  routes.add({
    method: 'PUT', url: `${base}/:id`, tag: 'escalation', summary: 'Replace an escalation rule: a new version (alerts in flight keep the one that decided them)',
    roles: ADMIN, action: 'escalation_rule.update', params: ruleParams, body: ruleBody,
    handler: async ({ params, body, req }) => {
      const rule = await deps.rules.replace(params.id, body);
      req.auditResource = { type: 'escalation_rule', id: rule.id };
      return ruleView(rule);
    },
  });
  routes.add({
    method: 'DELETE', url: `${base}/:id`, tag: 'escalation', summary: 'Delete an escalation rule (its versions stay on record)',
    roles: ADMIN, action: 'escalation_rule.delete', params: ruleParams, status: 204,
    handler: async ({ params, req }) => {
      await deps.rules.remove(params.id);
      req.auditResource = { type: 'escalation_rule', id: params.id };
      return undefined;
    },
  });

  const onCall = '/api/v1/care-teams/:id/on-call';
  routes.add({
    method: 'PUT', url: onCall, tag: 'escalation', summary: "Set a care team's weekly on-call rotation (with one-off overrides)",
    roles: ADMIN, action: 'care_team.on_call.update', params: ruleParams, body: rotationSchema,
    handler: async ({ params, body, req }) => {
      await deps.careTeams.get(params.id);
      await deps.rotations.put(params.id, body);
      req.auditResource = { type: 'care_team', id: params.id };
      return { rotation: body, onCallNow: onCallAt(body, deps.clock.now()) };
    },
  });
  routes.add({
    method: 'GET', url: onCall, tag: 'escalation', summary: "A care team's on-call rotation and who is on call now",
    roles: STAFF_READ, action: 'care_team.on_call.read', params: ruleParams,
    handler: async ({ params }) => {
      await deps.careTeams.get(params.id);
      const rotation = await deps.rotations.get(params.id);
      if (!rotation) throw notFound('on-call rotation');
      return { rotation, onCallNow: onCallAt(rotation, deps.clock.now()) };
    },
  });
}
