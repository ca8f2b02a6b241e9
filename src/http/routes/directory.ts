import { z } from 'zod';
import { careTeamCreateSchema, careTeamListQuerySchema, careTeamUpdateSchema, careTeamViewSchema } from '../../domain/careteams/careteams.js';
import { idSchema, type Page } from '../../domain/common.js';
import { staffCreateSchema, staffListQuerySchema, staffUpdateSchema, staffViewSchema } from '../../domain/staff/staff.js';
import type { DirectoryService } from '../../domain/directory.js';
import { ADMIN, STAFF_READ } from '../auth.js';
import type { RouteTable } from '../route.js';

const params = z.strictObject({ id: idSchema });

interface Resource<Create, Update, Query> {
  path: string;
  tag: string;
  noun: string;
  service: DirectoryService<Create, Update, Query, { id: string; createdAt: Date; updatedAt: Date }>;
  create: z.ZodType<Create>;
  update: z.ZodType<Update>;
  query: z.ZodType<Query>;
  view: z.ZodType;
}

/** Care teams and staff: the same five routes each. Reading is open to every role, changing to admins. */
export function directoryRoutes(routes: RouteTable, services: { careTeams: Resource<unknown, unknown, unknown>['service']; staff: Resource<unknown, unknown, unknown>['service'] }): void {
  resourceRoutes(routes, { path: '/api/v1/care-teams', tag: 'care teams', noun: 'careteam', service: services.careTeams, create: careTeamCreateSchema, update: careTeamUpdateSchema, query: careTeamListQuerySchema, view: careTeamViewSchema });
  resourceRoutes(routes, { path: '/api/v1/staff', tag: 'staff', noun: 'staff', service: services.staff, create: staffCreateSchema, update: staffUpdateSchema, query: staffListQuerySchema, view: staffViewSchema });
}

function resourceRoutes<C, U, Q>(routes: RouteTable, r: Resource<C, U, Q>): void {
  const view = (item: { id: string; createdAt: Date; updatedAt: Date }) => ({ ...item, createdAt: item.createdAt.toISOString(), updatedAt: item.updatedAt.toISOString() });
  const viewPage = (page: Page<{ id: string; createdAt: Date; updatedAt: Date }>) => ({ items: page.items.map(view), nextCursor: page.nextCursor });
  const resource = (id?: string) => ({ type: r.noun, id });

  routes.add({
    method: 'POST', url: r.path, tag: r.tag, summary: `Create a ${r.tag.replace(/s$/, '')}`, roles: ADMIN, action: `${r.noun}.create`,
    body: r.create, status: 201, response: r.view,
    handler: async ({ body, req }) => {
      const item = await r.service.create(body);
      req.auditResource = resource(item.id);
      return view(item);
    },
  });
  routes.add({
    method: 'GET', url: r.path, tag: r.tag, summary: `List ${r.tag}`, roles: STAFF_READ, action: `${r.noun}.list`,
    query: r.query, response: z.object({ items: z.array(r.view), nextCursor: z.string().nullable() }),
    handler: async ({ query }) => viewPage(await r.service.list(query)),
  });
  routes.add({
    method: 'GET', url: `${r.path}/:id`, tag: r.tag, summary: `Read one of ${r.tag}`, roles: STAFF_READ, action: `${r.noun}.read`,
    params, response: r.view,
    handler: async ({ params, req }) => {
      req.auditResource = resource(params.id);
      return view(await r.service.get(params.id));
    },
  });
  routes.add({
    method: 'PATCH', url: `${r.path}/:id`, tag: r.tag, summary: `Change one of ${r.tag}`, roles: ADMIN, action: `${r.noun}.update`,
    params, body: r.update, response: r.view,
    handler: async ({ params, body, req }) => {
      req.auditResource = resource(params.id);
      return view(await r.service.update(params.id, body));
    },
  });
  routes.add({
    method: 'POST', url: `${r.path}/:id/deactivate`, tag: r.tag, summary: `Deactivate one of ${r.tag}`, roles: ADMIN, action: `${r.noun}.deactivate`,
    params, response: r.view,
    handler: async ({ params, req }) => {
      req.auditResource = resource(params.id);
      return view(await r.service.deactivate(params.id));
    },
  });
}
