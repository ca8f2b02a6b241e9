import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AlertRepository } from '../../domain/alerts/alerts.js';
import type { AlertService } from '../../domain/alerts/service.js';
import { verifyAckToken, type AckKeys } from '../../domain/escalation/ack-link.js';
import { escapeHtml } from '../../domain/escalation/page.js';
import type { Clock } from '../../lib/clock.js';

export interface AckLinkDeps {
  alerts: AlertService;
  /** Marks a token's jti used, once (AlertRepository.once). */
  once: AlertRepository['once'];
  keys: AckKeys;
  clock: Clock;
}

const tokenQuery = z.strictObject({ t: z.string().min(1).max(2048) });
/** Nothing loads, nothing runs, nothing frames it: a page with one form. */
const CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', CSP)
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

const REFUSED: Record<'malformed' | 'bad_signature' | 'expired', [number, string]> = {
  malformed: [400, 'This acknowledgement link is not valid.'],
  bad_signature: [403, 'This acknowledgement link is not valid.'],
  expired: [410, 'This acknowledgement link has expired. Acknowledge the alert by SMS reply or in the console.'],
};

/**
 * The signed link in a page. GET only shows a confirmation form (link scanners and chat unfurlers open GET links,
 * and must not acknowledge anything); POST acknowledges, once per token: its jti is claimed by a unique insert.
 */
export function ackLinkRoutes(app: FastifyInstance, deps: AckLinkDeps): void {
  const verify = (token: string) => verifyAckToken(token, deps.keys, deps.clock.now());

  app.get('/ack', async (req, reply) => {
    const query = tokenQuery.safeParse(req.query);
    if (!query.success) return page(reply, 400, 'Acknowledge alert', '<p>This acknowledgement link is not valid.</p>');
    const claims = verify(query.data.t);
    if ('error' in claims) return page(reply, REFUSED[claims.error][0], 'Acknowledge alert', `<p>${escapeHtml(REFUSED[claims.error][1])}</p>`);
    const alert = await deps.alerts.get(claims.alertId).catch(() => undefined);
    const label = alert?.shortNumber ? `alert ${alert.shortNumber}` : 'this alert';
    return page(reply, 200, `Acknowledge ${label}`, `<form method="post" action="/ack"><input type="hidden" name="t" value="${escapeHtml(query.data.t)}"><button type="submit">Acknowledge ${escapeHtml(label)}</button></form>`);
  });

  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post('/ack', async (req, reply) => {
      const form = tokenQuery.safeParse(req.body);
      if (!form.success) return page(reply, 400, 'Acknowledge alert', '<p>This acknowledgement link is not valid.</p>');
      const claims = verify(form.data.t);
      if ('error' in claims) return page(reply, REFUSED[claims.error][0], 'Acknowledge alert', `<p>${escapeHtml(REFUSED[claims.error][1])}</p>`);
      // A fresh holder per request: the same staff member opening the link twice is a second use too.
      if (!(await deps.once(`jti:${claims.jti}`, `${claims.staffId}:${randomUUID()}`))) return page(reply, 409, 'Already used', '<p>This link was used already.</p>');
      const alert = await deps.alerts.get(claims.alertId).catch(() => undefined);
      if (!alert || alert.status === 'resolved') return page(reply, 404, 'No open alert', '<p>This alert is resolved or no longer exists.</p>');
      const { acknowledged, alert: after } = await deps.alerts.acknowledge(alert.id, { kind: 'staff', staffId: claims.staffId, via: 'link' });
      const label = after.shortNumber ? `Alert ${after.shortNumber}` : 'The alert';
      return page(reply, 200, acknowledged ? `${label} acknowledged` : `${label} was already acknowledged`, acknowledged ? '<p>Paging has stopped. Thank you.</p>' : '<p>Someone acknowledged it before you.</p>');
    });
  });
}
