import { z } from 'zod';
import { idSchema } from '../../domain/common.js';
import type { StaffAccounts } from '../../domain/staff/accounts.js';
import { ADMIN } from '../auth.js';
import type { RouteTable } from '../route.js';

const params = z.strictObject({ id: idSchema });

/** Console access for staff: invitation links, and ending a staff member's console sessions at once. */
export function staffAccountRoutes(routes: RouteTable, deps: { accounts: StaffAccounts }): void {
  routes.add({
    method: 'POST', url: '/api/v1/staff/:id/invite', tag: 'staff', summary: 'A signed, single-use link (72 h) for the staff member to set a console password and second factor',
    roles: ADMIN, action: 'staff.invite', params, status: 201,
    response: z.object({ url: z.string(), expiresAt: z.string() }),
    handler: async ({ params: { id }, req }) => {
      const invite = await deps.accounts.invite(id);
      req.auditResource = { type: 'staff', id };
      return { url: invite.url, expiresAt: invite.expiresAt.toISOString() };
    },
  });

  routes.add({
    method: 'DELETE', url: '/api/v1/staff/:id/sessions', tag: 'staff', summary: 'Signs the staff member out of the console everywhere, at once',
    roles: ADMIN, action: 'staff.sessions_revoke', params,
    response: z.object({ revoked: z.number() }),
    handler: async ({ params: { id }, req }) => {
      req.auditResource = { type: 'staff', id };
      return { revoked: await deps.accounts.revokeSessions(id) };
    },
  });
}
