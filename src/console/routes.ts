import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Container } from '../app/container.js';
import { RESOLUTION_OUTCOMES, type Alert } from '../domain/alerts/alerts.js';
import type { AuditEntry } from '../domain/audit/chain.js';
import type { MessageLog } from '../domain/messaging/ports.js';
import { planInputSchema, planPatchSchema } from '../domain/medication/plan.js';
import { patientCreateSchema } from '../domain/patients/schema.js';
import { enrolmentInputSchema } from '../domain/postop/service.js';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, inviteFormSchema, signInFormSchema } from '../domain/staff/accounts.js';
import { passkeyRegistrationSchema, passkeySignInSchema, type RelyingParty } from '../domain/staff/passkeys.js';
import { AppError } from '../lib/errors.js';
import { clientAddress, FailureBudget } from '../http/throttle.js';
import { html, trustedMarkup, type Html } from './html.js';
import { ConsoleNames } from './names.js';
import { errorSummary, fieldError, invalidAttrs, page, type PageContext } from './layout.js';
import { alertPage, queuePage, queueRows, queueView, type QueueFilter } from './pages/queue.js';
import { metricsPage, teamMetrics } from './pages/metrics.js';
import { patientPage, patientView } from './pages/patient.js';
import { clearSessionCookie, idleRemainingMs, requireSession, setSessionCookie, SignInRequired, type SignedIn } from './session.js';

const require = createRequire(import.meta.url);
const ASSETS: Record<string, { file: string; type: string }> = {
  'console.js': { file: new URL('./assets/console.js', import.meta.url).pathname, type: 'text/javascript; charset=utf-8' },
  'console.css': { file: new URL('./assets/console.css', import.meta.url).pathname, type: 'text/css; charset=utf-8' },
  'uplot.js': { file: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.css': { file: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
  // The package exports only its modules; its browser bundle sits next to them (the file unpkg serves).
  'webauthn.js': { file: new URL('../dist/bundle/index.umd.min.js', pathToFileURL(require.resolve('@simplewebauthn/browser'))).pathname, type: 'text/javascript; charset=utf-8' },
};

/** No script, style, font or frame from anywhere but this server; no inline script or style attribute. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** Failed sign-ins per username per minute before further tries wait (and are refused unchecked). */
const SIGN_IN_FAILURES_PER_USERNAME = 5;

export interface ConsoleDeps {
  container: Container;
  messages: MessageLog;
}

/**
 * The care-team console under /console: server-rendered pages over the domain services, a little of our own
 * JavaScript (live queue, idle warning, charts with uPlot), staff sessions, CSRF on every form, audit on every page
 * with patient data.
 */
export async function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { container } = deps;
  const { staffAccounts: accounts, staffPasskeys: passkeys, clock, config, alerts } = container;
  const audit = container.db.repositories.audit;
  const addressFailures = new FailureBudget({ perMinute: config.AUTH_FAILURES_PER_MINUTE, clock, what: 'failed console sign-ins' });
  const usernameFailures = new FailureBudget({ perMinute: SIGN_IN_FAILURES_PER_USERNAME, clock, what: 'failed sign-ins for one username' });
  // Passkeys belong to the console's public address (PUBLIC_BASE_URL); without one (development), to the address
  // the browser used. The browser only signs for the site it is on, so a wrong Host cannot borrow a passkey.
  const publicOrigin = config.PUBLIC_BASE_URL ? new URL(config.PUBLIC_BASE_URL).origin : undefined;
  const relyingParty = (req: FastifyRequest): RelyingParty => {
    const origin = publicOrigin ?? `${req.protocol}://${req.headers.host ?? ''}`;
    if (!URL.canParse(origin)) throw new AppError('bad_request', 'no usable Host header');
    const url = new URL(origin);
    return { origin: url.origin, id: url.hostname };
  };
  const names = new ConsoleNames(container);
  const assets = Object.fromEntries(Object.entries(ASSETS).map(([name, { file, type }]) => [name, { body: readFileSync(file), type }]));

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // Forms posted from another site are refused before anything runs: with the session's token (requireSession)
    // this covers the forms that come before a session too (sign-in, invitation), against login CSRF.
    scope.addHook('preHandler', async (req) => {
      if (req.method !== 'POST') return;
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      const sameHost = (value: string) => URL.canParse(value) && URL.canParse(`http://${req.headers.host}`) && new URL(value).host === new URL(`http://${req.headers.host}`).host;
      if ((origin !== undefined && !sameHost(origin)) || site === 'cross-site') {
        throw new AppError('forbidden', 'this form did not come from the console');
      }
    });
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own forms.
      reply.header('referrer-policy', 'same-origin');
      reply.header('cross-origin-opener-policy', 'same-origin');
      reply.header('cache-control', 'no-store');
      return payload;
    });
    scope.setErrorHandler(async (err: unknown, req, reply) => {
      if (err instanceof SignInRequired) {
        if (req.method === 'GET' && !req.headers['x-console-live']) return reply.redirect(`/console/sign-in${err.reason === 'idle' ? '?reason=idle' : ''}`);
        return reply.code(401).type('application/json').send({ error: { code: 'unauthorized', message: 'signed out', reason: err.reason } });
      }
      const status = err instanceof AppError ? err.status : typeof (err as { statusCode?: number }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
      if (status >= 500) req.log.error({ err }, 'console request failed');
      const message = status >= 500 ? 'Something went wrong on our side. Try again, and tell your admin if it keeps happening.' : (err as Error).message;
      const title = status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status === 429 ? 'Too many attempts' : 'Error';
      return reply.code(status).type('text/html; charset=utf-8').send(page(title, {}, html`<h1>${title}</h1><p>${message}</p><p><a href="/console">Back to the console</a></p>`).text);
    });

    const send = (reply: FastifyReply, body: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body.text);
    const ctx = (signedIn: SignedIn): PageContext => ({ staff: signedIn.staff, csrf: signedIn.session.csrf, idleMs: IDLE_TIMEOUT_MS });
    const staffActor = (signedIn: SignedIn) => ({ kind: 'staff' as const, staffId: signedIn.staff.id, role: signedIn.staff.role });
    const record = (req: FastifyRequest, entry: Omit<AuditEntry, 'at' | 'requestId' | 'patientIds'> & { patientIds?: string[] }) =>
      audit.append({ at: clock.now(), requestId: req.id, patientIds: [], ...entry });
    const canSee = (signedIn: SignedIn, careTeamId: string | undefined) => signedIn.staff.role === 'admin' || (careTeamId !== undefined && careTeamId === signedIn.staff.careTeamId);

    /** A patient this staff member may see, or a 403 that is audited. */
    async function visiblePatient(req: FastifyRequest, signedIn: SignedIn, patientId: string, action: string) {
      if (!/^[0-9a-f]{24}$/.test(patientId)) throw new AppError('not_found', 'no such patient');
      const patient = await container.patients.get(patientId);
      if (!canSee(signedIn, patient.careTeamId)) {
        await record(req, { actor: staffActor(signedIn), action, outcome: 'denied', status: 403, patientIds: [patient.id] });
        throw new AppError('forbidden', 'this patient belongs to another care team');
      }
      return patient;
    }

    async function visibleAlert(req: FastifyRequest, signedIn: SignedIn, alertId: string, action: string): Promise<Alert> {
      const alert = await alerts.get(String(alertId).slice(0, 300));
      if (!canSee(signedIn, alert.careTeamId)) {
        await record(req, { actor: staffActor(signedIn), action, outcome: 'denied', status: 403, patientIds: alert.patientId ? [alert.patientId] : [], resource: { type: 'alert', id: alert.id } });
        throw new AppError('forbidden', 'this alert belongs to another care team');
      }
      return alert;
    }

    scope.get('/console/assets/:name', async (req, reply) => {
      const asset = assets[(req.params as { name: string }).name];
      if (!asset) throw new AppError('not_found', 'no such file');
      return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
    });

    // ---- Sign-in, invitations, sessions ----

    const signInPage = (reply: FastifyReply, notice?: string, errors?: Record<string, string>, username = '', status = 200) =>
      send(reply, page('Sign in', { webauthn: true }, html`<h1>Sign in to the CareLoop console</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${errorSummary(errors)}
<form method="post" action="/console/sign-in" class="stack">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required value="${username}"${invalidAttrs(errors, 'username')}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <label for="code">Code from your authenticator app</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
  <button type="submit">Sign in</button>
</form>
<section id="passkey-sign-in" class="stack" hidden aria-labelledby="passkey-heading">
  <h2 id="passkey-heading">Or use a passkey</h2>
  <p>If you added a passkey to your account, your device's screen lock or security key signs you in.</p>
  <button type="button" id="passkey-button">Sign in with a passkey</button>
  <p id="passkey-status" role="status"></p>
</section>`), status);

    scope.get('/console/sign-in', async (req, reply) => {
      const reason = (req.query as { reason?: string }).reason;
      const notices: Record<string, string> = { idle: 'You were signed out after 15 minutes without activity.', 'signed-out': 'You are signed out.', ready: 'Your account is ready: sign in with your new password and a code.' };
      return signInPage(reply, reason ? notices[reason] : undefined);
    });

    scope.post('/console/sign-in', async (req, reply) => {
      const client = clientAddress(req);
      const parsed = signInFormSchema.safeParse(req.body ?? {});
      if (!parsed.success) return signInPage(reply, undefined, { _form: 'Enter your username, password and code.' }, '', 400);
      const { username, password, code } = parsed.data;
      const refusal = addressFailures.check(client) ?? usernameFailures.check(username);
      if (refusal) {
        if (refusal.first) await record(req, { actor: { kind: 'anonymous' }, action: 'console.sign_in', outcome: 'denied', status: 429, reason: refusal.reason, resource: { type: 'username', id: username } });
        reply.header('retry-after', String(refusal.retryAfterSeconds));
        return signInPage(reply, undefined, { _form: `Too many failed attempts. Wait ${refusal.retryAfterSeconds} seconds and try again.` }, username, 429);
      }
      const result = await accounts.signIn({ username, password, code });
      if (!result.ok) {
        addressFailures.fail(client);
        usernameFailures.fail(username);
        await record(req, { actor: { kind: 'anonymous' }, action: 'console.sign_in', outcome: 'denied', status: 401, reason: result.reason, resource: { type: 'username', id: username } });
        return signInPage(reply, undefined, { _form: 'That username, password and code do not match.' }, username, 401);
      }
      await record(req, { actor: { kind: 'staff', staffId: result.staff.id, role: result.staff.role }, action: 'console.sign_in', outcome: 'success', status: 303 });
      setSessionCookie(reply, result.token, ABSOLUTE_TIMEOUT_MS / 1000);
      return reply.redirect('/console', 303);
    });

    scope.post('/console/sign-out', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: false });
      await accounts.signOut(signedIn.session);
      await record(req, { actor: staffActor(signedIn), action: 'console.sign_out', outcome: 'success', status: 303 });
      clearSessionCookie(reply);
      return reply.redirect('/console/sign-in?reason=signed-out', 303);
    });

    /** For console.js: how long until the idle timeout (no activity: polling does not keep a session alive). */
    scope.get('/console/session', async (req) => {
      const signedIn = await requireSession(accounts, req, { activity: false });
      return { idleRemainingMs: idleRemainingMs(signedIn.session, clock.now()) };
    });

    scope.post('/console/session/keepalive', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      if (req.headers['x-console-live']) return { idleRemainingMs: idleRemainingMs(signedIn.session, clock.now()) };
      return reply.redirect('/console', 303);
    });

    const invitePage = async (reply: FastifyReply, token: string, errors?: Record<string, string>, values: { username?: string } = {}, status = 200) => {
      const invite = await accounts.readInvite(token);
      if ('error' in invite) {
        return send(reply, page('Invitation', {}, html`<h1>This invitation cannot be used</h1><p>${invite.error === 'expired' ? 'It has expired.' : 'The link is not valid.'} Ask an admin for a new invitation.</p>`), 400);
      }
      const uri = invite.totp.toString();
      const qr = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return send(reply, page('Set up your account', {}, html`<h1>Welcome, ${invite.staff.name}</h1>
<p>Choose a username and a password, then add CareLoop to your authenticator app (one that shows 6-digit codes).</p>
${errorSummary(errors)}
<form method="post" action="/console/invite" class="stack">
  <input type="hidden" name="t" value="${token}">
  ${fieldError(errors, 't')}
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required value="${values.username ?? invite.staff.email ?? ''}"${invalidAttrs(errors, 'username')}>
  ${fieldError(errors, 'username')}
  <label for="password">New password (at least 12 characters)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required${invalidAttrs(errors, 'password')}>
  ${fieldError(errors, 'password')}
  <label for="confirm">The same password again</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required${invalidAttrs(errors, 'confirm')}>
  ${fieldError(errors, 'confirm')}
  <fieldset>
    <legend>Second factor</legend>
    <figure class="qr" role="img" aria-label="QR code to scan with your authenticator app">${trustedMarkup(qr)}</figure>
    <p>Can't scan? Enter this key in the app: <code id="totp-secret">${invite.totp.secret.base32}</code></p>
    <label for="code">The 6-digit code the app shows</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required${invalidAttrs(errors, 'code')}>
    ${fieldError(errors, 'code')}
  </fieldset>
  <button type="submit">Save and continue to sign in</button>
</form>`), status);
    };

    scope.get('/console/invite', async (req, reply) => invitePage(reply, String((req.query as { t?: string }).t ?? '')));

    scope.post('/console/invite', async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, string>;
      const token = String(body.t ?? '');
      const parsed = inviteFormSchema.safeParse(body);
      if (!parsed.success) return invitePage(reply, token, zodErrors(parsed.error), { username: body.username }, 400);
      const result = await accounts.acceptInvite({ token, username: parsed.data.username, password: parsed.data.password, code: parsed.data.code });
      if (!result.ok) return invitePage(reply, token, result.errors, { username: parsed.data.username }, 400);
      await record(req, { actor: { kind: 'staff', staffId: result.staff.id, role: result.staff.role }, action: 'console.account_set_up', outcome: 'success', status: 303 });
      return reply.redirect('/console/sign-in?reason=ready', 303);
    });

    // ---- Passkeys: added on the account page once signed in, then a sign-in of their own ----

    const jsonError = (reply: FastifyReply, status: number, message: string) => reply.code(status).type('application/json').send({ error: { message } });

    scope.post('/console/sign-in/passkey/options', async (req) => passkeys.signInOptions(relyingParty(req)));

    scope.post('/console/sign-in/passkey', { bodyLimit: 32 * 1024 }, async (req, reply) => {
      const client = clientAddress(req);
      const refusal = addressFailures.check(client);
      if (refusal) {
        if (refusal.first) await record(req, { actor: { kind: 'anonymous' }, action: 'console.sign_in', outcome: 'denied', status: 429, reason: refusal.reason });
        reply.header('retry-after', String(refusal.retryAfterSeconds));
        return jsonError(reply, 429, `Too many failed attempts. Wait ${refusal.retryAfterSeconds} seconds and try again.`);
      }
      const parsed = passkeySignInSchema.safeParse(req.body ?? {});
      const result = parsed.success ? await passkeys.signIn(relyingParty(req), parsed.data) : { ok: false as const, reason: 'malformed' };
      const passkey = parsed.success ? { resource: { type: 'passkey', id: parsed.data.response.id } } : {};
      if (!result.ok) {
        addressFailures.fail(client);
        await record(req, { actor: { kind: 'anonymous' }, action: 'console.sign_in', outcome: 'denied', status: 401, reason: `passkey: ${result.reason}`, ...passkey });
        return jsonError(reply, 401, 'That passkey did not sign you in. Try again, or use your password and code.');
      }
      await record(req, { actor: { kind: 'staff', staffId: result.staff.id, role: result.staff.role }, action: 'console.sign_in', outcome: 'success', status: 200, ...passkey });
      setSessionCookie(reply, result.token, ABSOLUTE_TIMEOUT_MS / 1000);
      return { redirect: '/console' };
    });

    const accountPage = async (signedIn: SignedIn, notice?: string) => {
      const list = await passkeys.list(signedIn.staff.id);
      const day = (at: Date | undefined) => (at ? at.toISOString().slice(0, 10) : 'never');
      return html`<h1>Your account</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<h2>Passkeys</h2>
<p>A passkey signs you in with your device's screen lock (fingerprint, face or PIN) or a security key, instead of your password and code. Your password and code keep working.</p>
${list.length === 0
    ? html`<p id="no-passkeys">You have no passkeys yet.</p>`
    : html`<table class="data" id="passkeys">
<caption>Your passkeys</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Added</th><th scope="col">Last used</th><th scope="col">Remove</th></tr></thead>
<tbody>${list.map((passkey) => html`<tr><td>${passkey.name}</td><td>${day(passkey.createdAt)}</td><td>${day(passkey.lastUsedAt)}</td><td><form method="post" action="/console/account/passkeys/remove"><input type="hidden" name="_csrf" value="${signedIn.session.csrf}"><input type="hidden" name="id" value="${passkey.id}"><button type="submit">Remove<span class="visually-hidden"> ${passkey.name}</span></button></form></td></tr>`)}</tbody>
</table>`}
<form id="passkey-form" class="stack" hidden data-csrf="${signedIn.session.csrf}">
  <h3>Add a passkey</h3>
  <label for="passkey-name">A name to recognise it by</label>
  <input id="passkey-name" name="name" maxlength="60" required value="${list.length === 0 ? 'My passkey' : ''}">
  <button type="submit">Add a passkey</button>
  <p id="passkey-status" role="status"></p>
</form>
<p id="passkey-unsupported">Adding a passkey needs a browser that supports passkeys, with JavaScript on.</p>
<h2>Other sessions</h2>
<p>Lost a laptop or a phone, or signed in on a shared computer? Sign out everywhere else; this browser stays signed in.</p>
<form method="post" action="/console/account/sessions/end-others">
  <input type="hidden" name="_csrf" value="${signedIn.session.csrf}">
  <button type="submit">Sign out my other sessions</button>
</form>`;
    };

    scope.get('/console/account', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const added = (req.query as { done?: string }).done;
      const notices: Record<string, string> = { added: 'Passkey added: you can sign in with it now.', removed: 'Passkey removed.', 'sessions-ended': 'Your other sessions are signed out.' };
      return send(reply, page('Your account', { ...ctx(signedIn), webauthn: true }, await accountPage(signedIn, added ? notices[added] : undefined)));
    });

    scope.post('/console/account/sessions/end-others', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const ended = await accounts.endOtherSessions(signedIn.session);
      await record(req, { actor: staffActor(signedIn), action: 'console.sessions_ended', outcome: 'success', status: 303, reason: `${ended} other session(s)` });
      return reply.redirect('/console/account?done=sessions-ended', 303);
    });

    scope.post('/console/account/passkeys/options', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      try {
        return await passkeys.registrationOptions(signedIn.staff, relyingParty(req));
      } catch (err) {
        if (err instanceof AppError) return jsonError(reply, err.status, err.message);
        throw err;
      }
    });

    scope.post('/console/account/passkeys', { bodyLimit: 32 * 1024 }, async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const parsed = passkeyRegistrationSchema.safeParse(req.body ?? {});
      if (!parsed.success) return jsonError(reply, 400, parsed.error.issues.find((issue) => issue.path[0] === 'name')?.message ?? 'the browser sent something that is not a passkey');
      try {
        const passkey = await passkeys.register(signedIn.staff, relyingParty(req), parsed.data);
        await record(req, { actor: staffActor(signedIn), action: 'console.passkey_added', outcome: 'success', status: 201, resource: { type: 'passkey', id: passkey.id } });
        return reply.code(201).send({ id: passkey.id, name: passkey.name, redirect: '/console/account?done=added' });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        await record(req, { actor: staffActor(signedIn), action: 'console.passkey_added', outcome: 'denied', status: err.status, reason: err.message });
        return jsonError(reply, err.status, err.message);
      }
    });

    scope.post('/console/account/passkeys/remove', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const id = String((req.body as { id?: unknown } | undefined)?.id ?? '').slice(0, 1024);
      if (!(await passkeys.remove(signedIn.staff.id, id))) throw new AppError('not_found', 'you have no such passkey');
      await record(req, { actor: staffActor(signedIn), action: 'console.passkey_removed', outcome: 'success', status: 303, resource: { type: 'passkey', id } });
      return reply.redirect('/console/account?done=removed', 303);
    });

    // ---- Alert queue ----

    const filterOf = (query: unknown): QueueFilter => {
      const parsed = z.object({ scope: z.enum(['mine', 'teams', 'all']).catch('teams'), state: z.enum(['open', 'closed']).catch('open') }).safeParse(query ?? {});
      return parsed.success ? parsed.data : { scope: 'teams', state: 'open' };
    };

    scope.get('/console', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const filter = filterOf(req.query);
      const view = await queueView(container, names, signedIn.staff, filter);
      await record(req, { actor: staffActor(signedIn), action: 'console.alert_queue', outcome: 'success', status: 200, patientIds: view.patientIds });
      const notice = (req.query as { done?: string }).done;
      return send(reply, page('Alert queue', ctx(signedIn), queuePage(view, filter, signedIn.session.csrf, notice)));
    });

    scope.get('/console/alerts/rows', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: false });
      const filter = filterOf(req.query);
      const view = await queueView(container, names, signedIn.staff, filter);
      await record(req, { actor: staffActor(signedIn), action: 'console.alert_queue', outcome: 'success', status: 200, patientIds: view.patientIds });
      return send(reply, queueRows(view, signedIn.session.csrf));
    });

    scope.get('/console/alerts/:id', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const alert = await visibleAlert(req, signedIn, (req.params as { id: string }).id, 'console.alert_read');
      const patient = alert.patientId ? await container.patients.get(alert.patientId).catch(() => undefined) : undefined;
      await record(req, { actor: staffActor(signedIn), action: 'console.alert_read', outcome: 'success', status: 200, patientIds: alert.patientId ? [alert.patientId] : [], resource: { type: 'alert', id: alert.id } });
      return send(reply, page('Alert', ctx(signedIn), await alertPage(container, names, alert, patient, signedIn.session.csrf)));
    });

    const actionBody = z.object({ outcome: z.enum(RESOLUTION_OUTCOMES).optional(), note: z.string().trim().max(2000).optional(), staffId: z.string().regex(/^[0-9a-f]{24}$/).optional() });
    scope.post('/console/alerts/:id/:action', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const action = (req.params as { action: string }).action;
      if (!['acknowledge', 'assign', 'resolve', 'reopen'].includes(action)) throw new AppError('not_found', 'no such action');
      const alert = await visibleAlert(req, signedIn, (req.params as { id: string }).id, `console.alert_${action}`);
      const body = actionBody.safeParse(req.body ?? {});
      if (!body.success) throw new AppError('validation_failed', 'invalid form');
      const by = { kind: 'staff' as const, staffId: signedIn.staff.id, via: 'console' as const };
      let done: string;
      if (action === 'acknowledge') {
        const result = await alerts.acknowledge(alert.id, by);
        done = result.acknowledged ? 'Alert acknowledged: paging stopped.' : 'Someone else acknowledged this alert first.';
      } else if (action === 'assign') {
        if (!body.data.staffId) throw new AppError('validation_failed', 'choose a staff member');
        const assigned = await alerts.assign(alert.id, body.data.staffId, by);
        done = `Alert assigned to ${(await container.staff.get(assigned.assignedTo!)).name}.`;
      } else if (action === 'resolve') {
        if (!body.data.outcome) {
          return send(reply, page('Alert', ctx(signedIn), await alertPage(container, names, alert, undefined, signedIn.session.csrf, { outcome: 'choose an outcome' })), 400);
        }
        await alerts.resolve(alert.id, by, { outcome: body.data.outcome, ...(body.data.note ? { note: body.data.note } : {}) });
        done = 'Alert resolved.';
      } else {
        await alerts.reopen(alert.id, by, body.data.note || undefined);
        done = 'Alert reopened: paging starts again.';
      }
      await record(req, { actor: staffActor(signedIn), action: `console.alert_${action}`, outcome: 'success', status: 303, patientIds: alert.patientId ? [alert.patientId] : [], resource: { type: 'alert', id: alert.id } });
      return reply.redirect(`/console?done=${encodeURIComponent(done)}`, 303);
    });

    // ---- Patients ----

    scope.get('/console/patients/:id', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.patient_read');
      const view = await patientView(container, names, deps.messages, patient);
      await record(req, { actor: staffActor(signedIn), action: 'console.patient_read', outcome: 'success', status: 200, patientIds: [patient.id] });
      return send(reply, page(patient.name, ctx(signedIn), patientPage(view, signedIn.session.csrf, (req.query as { done?: string }).done)));
    });

    // A message from the care team: through the outbound gateway like any proactive message, so consent for
    // care-team messages, opt-outs and quiet hours hold; the patient's reply comes back as usual.
    const replyBody = z.object({ text: z.string().trim().min(1, 'write a message').max(640, 'at most 640 characters') }).loose();
    scope.post('/console/patients/:id/messages', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.patient_message');
      const body = replyBody.safeParse(req.body ?? {});
      if (!body.success) throw new AppError('validation_failed', body.error.issues[0]!.message);
      const outcome = await container.conversations.gateway.send({
        channel: 'sms', address: patient.phone, patientId: patient.id, text: body.data.text, kind: 'proactive', purpose: 'care_team_messages',
        idempotencyKey: `console:${signedIn.staff.id}:${randomUUID()}`,
      });
      await record(req, { actor: staffActor(signedIn), action: 'console.patient_message', outcome: outcome.status === 'blocked' || outcome.status === 'failed' ? 'rejected' : 'success', status: 303, patientIds: [patient.id], resource: { type: 'message', id: outcome.messageId } });
      const done = outcome.status === 'blocked' ? `Not sent: ${BLOCKED_TEXT[outcome.reason] ?? outcome.reason.replace(/_/g, ' ')}.` : outcome.status === 'failed' ? 'Not sent: the SMS provider refused it.' : outcome.status === 'retrying' ? 'The SMS provider is not answering: CareLoop keeps trying.' : 'Message sent.';
      return reply.redirect(`/console/patients/${patient.id}?done=${encodeURIComponent(done)}`, 303);
    });

    /** The medication plan form: a new plan, or a change to `planId` (its current values filled in). */
    const planForm = (patientId: string, name: string, csrf: string, errors?: Record<string, string>, values: Record<string, string> = {}, planId?: string) => html`<h1>${planId ? 'Change the medication plan' : 'New medication plan'} for ${name}</h1>
${errorSummary(errors)}
<form method="post" action="/console/patients/${patientId}/plans${planId ? `/${planId}` : ''}" class="stack">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="displayName">Medicine as the patient knows it (texts show this)</label>
  <input id="displayName" name="displayName" required value="${values.displayName ?? ''}"${invalidAttrs(errors, 'displayName')}>
  ${fieldError(errors, 'displayName')}
  <label for="dose">Dose</label>
  <input id="dose" name="dose" required value="${values.dose ?? ''}"${invalidAttrs(errors, 'dose')}>
  ${fieldError(errors, 'dose')}
  <label for="times">Times of day, 24-hour, comma-separated (e.g. 08:00, 20:00)</label>
  <input id="times" name="times" required value="${values.times ?? ''}"${invalidAttrs(errors, 'times')}>
  ${fieldError(errors, 'times')}
  <label for="startDate">First day (YYYY-MM-DD)</label>
  <input id="startDate" name="startDate" type="date" required value="${values.startDate ?? ''}"${invalidAttrs(errors, 'startDate')}>
  ${fieldError(errors, 'startDate')}
  <label for="endDate">Last day (optional)</label>
  <input id="endDate" name="endDate" type="date" value="${values.endDate ?? ''}"${invalidAttrs(errors, 'endDate')}>
  ${fieldError(errors, 'endDate')}
  <button type="submit">${planId ? 'Save changes' : 'Create plan'}</button>
</form>`;

    const planFields = (form: Record<string, string>) => ({
      displayName: form.displayName, dose: form.dose, startDate: form.startDate,
      times: String(form.times ?? '').split(',').map((time) => time.trim()).filter((time) => time !== ''),
    });

    scope.get('/console/patients/:id/plans/new', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.plan_form');
      await record(req, { actor: staffActor(signedIn), action: 'console.plan_form', outcome: 'success', status: 200, patientIds: [patient.id] });
      return send(reply, page('New medication plan', ctx(signedIn), planForm(patient.id, patient.name, signedIn.session.csrf)));
    });

    scope.post('/console/patients/:id/plans', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.plan_create');
      const form = (req.body ?? {}) as Record<string, string>;
      const parsed = planInputSchema.safeParse({ ...planFields(form), ...(form.endDate ? { endDate: form.endDate } : {}) });
      if (!parsed.success) return send(reply, page('New medication plan', ctx(signedIn), planForm(patient.id, patient.name, signedIn.session.csrf, zodErrors(parsed.error), form)), 400);
      const plan = await container.medication.create(patient.id, parsed.data);
      await record(req, { actor: staffActor(signedIn), action: 'console.plan_create', outcome: 'success', status: 303, patientIds: [patient.id], resource: { type: 'medication_plan', id: plan.id } });
      return reply.redirect(`/console/patients/${patient.id}?done=${encodeURIComponent(`Plan "${plan.displayName}" created.`)}`, 303);
    });

    scope.get('/console/patients/:id/plans/:planId', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.plan_form');
      const plan = await container.medication.get(patient.id, String((req.params as { planId: string }).planId));
      await record(req, { actor: staffActor(signedIn), action: 'console.plan_form', outcome: 'success', status: 200, patientIds: [patient.id], resource: { type: 'medication_plan', id: plan.id } });
      const values = { displayName: plan.displayName, dose: plan.dose, times: plan.times.join(', '), startDate: plan.startDate, endDate: plan.endDate ?? '' };
      return send(reply, page('Change the medication plan', ctx(signedIn), planForm(patient.id, patient.name, signedIn.session.csrf, undefined, values, plan.id)));
    });

    // A change: the reminders still to come follow it (the medication service reschedules them).
    scope.post('/console/patients/:id/plans/:planId', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.plan_update');
      const planId = String((req.params as { planId: string }).planId);
      const form = (req.body ?? {}) as Record<string, string>;
      const parsed = planPatchSchema.safeParse({ ...planFields(form), endDate: form.endDate ? form.endDate : null });
      if (!parsed.success) return send(reply, page('Change the medication plan', ctx(signedIn), planForm(patient.id, patient.name, signedIn.session.csrf, zodErrors(parsed.error), form, planId)), 400);
      let plan;
      try {
        plan = await container.medication.update(patient.id, planId, parsed.data);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') {
          return send(reply, page('Change the medication plan', ctx(signedIn), planForm(patient.id, patient.name, signedIn.session.csrf, { _form: err.message }, form, planId)), 400);
        }
        throw err;
      }
      await record(req, { actor: staffActor(signedIn), action: 'console.plan_update', outcome: 'success', status: 303, patientIds: [patient.id], resource: { type: 'medication_plan', id: plan.id } });
      return reply.redirect(`/console/patients/${patient.id}?done=${encodeURIComponent(`Plan "${plan.displayName}" changed.`)}`, 303);
    });

    const postopForm = async (patientId: string, name: string, csrf: string, errors?: Record<string, string>, values: Record<string, string> = {}) => {
      const protocols = (await container.postopProtocols.list()).filter((protocol) => protocol.status === 'active');
      return html`<h1>Enrol ${name} in post-op check-ins</h1>
${errorSummary(errors)}
<form method="post" action="/console/patients/${patientId}/postop" class="stack">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="procedure">Procedure (staff only: never sent to the patient)</label>
  <input id="procedure" name="procedure" required value="${values.procedure ?? ''}"${invalidAttrs(errors, 'procedure')}>
  ${fieldError(errors, 'procedure')}
  <label for="surgeryDate">Surgery date</label>
  <input id="surgeryDate" name="surgeryDate" type="date" required value="${values.surgeryDate ?? ''}"${invalidAttrs(errors, 'surgeryDate')}>
  ${fieldError(errors, 'surgeryDate')}
  <label for="protocolId">Protocol</label>
  <select id="protocolId" name="protocolId"${invalidAttrs(errors, 'protocolId')}>${protocols.map((protocol) => html`<option value="${protocol.id}"${values.protocolId === protocol.id ? html` selected` : ''}>${protocol.title ?? protocol.id} (days ${protocol.days.join(', ')})</option>`)}</select>
  ${fieldError(errors, 'protocolId')}
  <button type="submit">Enrol</button>
</form>`;
    };

    scope.get('/console/patients/:id/postop/new', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.postop_form');
      await record(req, { actor: staffActor(signedIn), action: 'console.postop_form', outcome: 'success', status: 200, patientIds: [patient.id] });
      return send(reply, page('Post-op check-ins', ctx(signedIn), await postopForm(patient.id, patient.name, signedIn.session.csrf)));
    });

    scope.post('/console/patients/:id/postop', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const patient = await visiblePatient(req, signedIn, (req.params as { id: string }).id, 'console.postop_enrol');
      const form = (req.body ?? {}) as Record<string, string>;
      const parsed = enrolmentInputSchema.safeParse({ procedure: form.procedure, surgeryDate: form.surgeryDate, ...(form.protocolId ? { protocolId: form.protocolId } : {}) });
      const again = async (errors: Record<string, string>) => send(reply, page('Post-op check-ins', ctx(signedIn), await postopForm(patient.id, patient.name, signedIn.session.csrf, errors, form)), 400);
      if (!parsed.success) return again(zodErrors(parsed.error));
      try {
        await container.postop.enrol(patient.id, parsed.data);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'conflict' || err.code === 'validation_failed')) return again({ _form: err.message });
        throw err;
      }
      await record(req, { actor: staffActor(signedIn), action: 'console.postop_enrol', outcome: 'success', status: 303, patientIds: [patient.id] });
      return reply.redirect(`/console/patients/${patient.id}?done=${encodeURIComponent('Enrolled in post-op check-ins.')}`, 303);
    });

    const patientForm = async (signedIn: SignedIn, errors?: Record<string, string>, values: Record<string, string> = {}) => {
      const teams = signedIn.staff.role === 'admin' ? (await container.careTeams.list({ limit: 100, status: 'active' } as never)).items : [await container.careTeams.get(signedIn.staff.careTeamId)];
      return html`<h1>Enrol a patient</h1>
${errorSummary(errors)}
<form method="post" action="/console/patients" class="stack">
  <input type="hidden" name="_csrf" value="${signedIn.session.csrf}">
  <label for="name">Full name</label>
  <input id="name" name="name" required autocomplete="off" value="${values.name ?? ''}"${invalidAttrs(errors, 'name')}>
  ${fieldError(errors, 'name')}
  <label for="phone">Mobile number (international format, e.g. +15551234567)</label>
  <input id="phone" name="phone" type="tel" required autocomplete="off" value="${values.phone ?? ''}"${invalidAttrs(errors, 'phone')}>
  ${fieldError(errors, 'phone')}
  <label for="dateOfBirth">Date of birth</label>
  <input id="dateOfBirth" name="dateOfBirth" type="date" required value="${values.dateOfBirth ?? ''}"${invalidAttrs(errors, 'dateOfBirth')}>
  ${fieldError(errors, 'dateOfBirth')}
  <label for="timeZone">Time zone (e.g. America/New_York)</label>
  <input id="timeZone" name="timeZone" required value="${values.timeZone ?? teams[0]?.timeZone ?? ''}"${invalidAttrs(errors, 'timeZone')}>
  ${fieldError(errors, 'timeZone')}
  <label for="language">Language</label>
  <select id="language" name="language"${invalidAttrs(errors, 'language')}>
    ${['en', 'es'].map((code) => html`<option value="${code}"${values.language === code ? html` selected` : ''}>${code === 'en' ? 'English' : 'Spanish'}</option>`)}
  </select>
  ${fieldError(errors, 'language')}
  <label for="careTeamId">Care team</label>
  <select id="careTeamId" name="careTeamId"${invalidAttrs(errors, 'careTeamId')}>
    ${teams.map((team) => html`<option value="${team.id}"${values.careTeamId === team.id ? html` selected` : ''}>${team.name}</option>`)}
  </select>
  ${fieldError(errors, 'careTeamId')}
  <div class="check"><input id="smsConsent" name="smsConsent" type="checkbox" value="yes"${values.smsConsent ? html` checked` : ''}><label for="smsConsent">The patient agrees to receive text messages from the clinic</label></div>
  <button type="submit">Enrol patient</button>
</form>`;
    };

    scope.get('/console/patients/new', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      return send(reply, page('Enrol a patient', ctx(signedIn), await patientForm(signedIn)));
    });

    scope.post('/console/patients', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const form = (req.body ?? {}) as Record<string, string>;
      const parsed = patientCreateSchema.safeParse({
        name: form.name, phone: form.phone, dateOfBirth: form.dateOfBirth, timeZone: form.timeZone, language: form.language, careTeamId: form.careTeamId,
        consent: { sms: form.smsConsent === 'yes' },
      });
      if (!parsed.success) return send(reply, page('Enrol a patient', ctx(signedIn), await patientForm(signedIn, zodErrors(parsed.error), form)), 400);
      if (!canSee(signedIn, parsed.data.careTeamId)) throw new AppError('forbidden', 'you can enrol patients in your own care team only');
      let patient;
      try {
        patient = await container.patients.create(parsed.data, { keyId: `console:${signedIn.staff.id}`, role: signedIn.staff.role });
      } catch (err) {
        if (err instanceof AppError && (err.code === 'conflict' || err.code === 'validation_failed')) {
          return send(reply, page('Enrol a patient', ctx(signedIn), await patientForm(signedIn, { phone: err.message }, form)), 400);
        }
        throw err;
      }
      await record(req, { actor: staffActor(signedIn), action: 'console.patient_create', outcome: 'success', status: 303, patientIds: [patient.id] });
      return reply.redirect(`/console/patients/${patient.id}?done=${encodeURIComponent('Patient enrolled.')}`, 303);
    });

    // ---- Metrics, rules, staff ----

    scope.get('/console/metrics', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      const metrics = await teamMetrics(container, signedIn.staff);
      await record(req, { actor: staffActor(signedIn), action: 'console.metrics', outcome: 'success', status: 200 });
      return send(reply, page('Metrics', ctx(signedIn), metricsPage(metrics)));
    });

    /** A stored rule as an admin edits it: the fields the API takes, as JSON. */
    const ruleJson = (rule: Record<string, unknown>) => {
      const { id: _id, version: _version, createdAt: _created, updatedAt: _updated, ...fields } = rule;
      return JSON.stringify(fields, null, 2);
    };
    const rulesPage = async (signedIn: SignedIn, errors: Record<string, string> = {}, drafts: Record<string, string> = {}, notice?: string) => {
      const rules = (await container.escalationRules.list({ limit: 100 })).items;
      const protocols = await Promise.all((await container.postopProtocols.list()).map(async (summary) => ({ summary, stored: await container.postopProtocols.get(summary.id) })));
      const admin = signedIn.staff.role === 'admin';
      const editor = (key: string, action: string, text: string, label: string, button: string) => html`<form method="post" action="${action}" class="stack">
  <input type="hidden" name="_csrf" value="${signedIn.session.csrf}">
  <label for="${key}">${label}</label>
  <textarea id="${key}" name="json" rows="12" spellcheck="false"${invalidAttrs(errors, key)}>${drafts[key] ?? text}</textarea>
  ${fieldError(errors, key)}
  <button type="submit">${button}</button>
</form>`;
      return page('Rules and protocols', ctx(signedIn), html`<h1>Escalation rules and post-op protocols</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${errorSummary(errors)}
<p>Rules decide an alert's severity, team and paging; the reviewed defaults apply where no stored rule matches. ${admin ? 'Each save is a new version: alerts already raised keep the version that decided them. The format is the API\'s (see /docs).' : 'Admins change them.'}</p>
<h2>Stored escalation rules</h2>
${rules.length === 0 ? html`<p>None: the reviewed defaults decide.</p>` : ''}
${rules.map((rule, index) => html`<section aria-labelledby="rule-${index}"><h3 id="rule-${index}">${rule.name} (version ${rule.version}${rule.enabled === false ? ', disabled' : ''})</h3>
${admin ? editor(`rule-${rule.id}`, `/console/rules/${rule.id}`, ruleJson(rule as unknown as Record<string, unknown>), `Rule "${rule.name}" as JSON`, 'Save as a new version') : html`<pre class="code" tabindex="0">${ruleJson(rule as unknown as Record<string, unknown>)}</pre>`}
</section>`)}
${admin ? html`<h2>New rule</h2>${editor('rule-new', '/console/rules', JSON.stringify({ name: '', condition: '', severity: 'high', enabled: true }, null, 2), 'The new rule as JSON', 'Create rule')}` : ''}
<h2>Post-op protocols</h2>
${protocols.map(({ summary, stored }, index) => {
    const { version: _version, ...fields } = stored.protocol;
    const text = JSON.stringify(fields, null, 2);
    return html`<section aria-labelledby="protocol-${index}"><h3 id="protocol-${index}">${summary.title ?? summary.id} (version ${summary.version}, ${summary.status}, check-ins on days ${summary.days.join(', ')}, ${summary.questions} questions)</h3>
${admin ? editor(`protocol-${summary.id}`, `/console/protocols/${summary.id}`, text, `Protocol "${summary.title ?? summary.id}" as JSON (check-ins already sent keep their version)`, 'Save as a new version') : html`<details><summary>Protocol as JSON</summary><pre class="code" tabindex="0">${text}</pre></details>`}
</section>`;
  })}`);
    };

    /**
     * An admin's JSON edit on the rules page: parsed, then `save`d with the API's validation; a parse or validation
     * error comes back next to the field `key` with the text as typed, and nothing is stored.
     */
    async function saveJsonEdit(
      req: FastifyRequest, reply: FastifyReply, key: string, what: string,
      save: (input: unknown, signedIn: SignedIn) => Promise<{ done: string; action: string; resource: { type: string; id: string } }>,
      describe: (err: AppError) => string = (err) => err.message,
    ) {
      const signedIn = await requireSession(accounts, req, { activity: true });
      if (signedIn.staff.role !== 'admin') throw new AppError('forbidden', `only admins change ${what}`);
      const text = String((req.body as Record<string, unknown> | undefined)?.json ?? '');
      const refuse = async (message: string) => send(reply, await rulesPage(signedIn, { [key]: message }, { [key]: text }), 400);
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        return refuse('this is not valid JSON');
      }
      let saved;
      try {
        saved = await save(input, signedIn);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') return refuse(describe(err));
        throw err;
      }
      await record(req, { actor: staffActor(signedIn), action: saved.action, outcome: 'success', status: 303, resource: saved.resource });
      return reply.redirect(`/console/rules?done=${encodeURIComponent(saved.done)}`, 303);
    }

    // Admins only: the next version of a post-op protocol, validated as the API does.
    scope.post('/console/protocols/:id', async (req, reply) => {
      const id = String((req.params as { id: string }).id);
      return saveJsonEdit(req, reply, `protocol-${id}`, 'post-op protocols', async (input, signedIn) => {
        if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AppError('validation_failed', 'expected a JSON object');
        const { protocol } = await container.postopProtocols.addVersion(id, input as Record<string, unknown>, `console:${signedIn.staff.id}`);
        return { done: `Protocol ${protocol.id} saved as version ${protocol.version}.`, action: 'console.protocol_version', resource: { type: 'postop_protocol', id: `${protocol.id}@${protocol.version}` } };
      }, (err) => {
        const issues = (err.details as { issues?: { field: string; message: string }[] } | undefined)?.issues ?? [];
        return [err.message, ...issues.map((issue) => `${issue.field}: ${issue.message}`)].join('; ');
      });
    });

    scope.get('/console/rules', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      return send(reply, await rulesPage(signedIn, undefined, undefined, (req.query as { done?: string }).done));
    });

    // Admins only: the same validation as the API (a malformed rule comes back next to its field, nothing stored).
    scope.post('/console/rules/:id?', async (req, reply) => {
      const id = (req.params as { id?: string }).id;
      return saveJsonEdit(req, reply, id ? `rule-${id}` : 'rule-new', 'escalation rules', async (input) => {
        const saved = id ? await container.escalationRules.replace(id, input) : await container.escalationRules.create(input);
        return { done: `Rule "${saved.name}" saved as version ${saved.version}.`, action: id ? 'console.rule_replace' : 'console.rule_create', resource: { type: 'escalation_rule', id: saved.id } };
      });
    });

    const staffPage = async (signedIn: SignedIn, invite?: { url: string; name: string }) => {
      const staff = await container.staff.list({ limit: 200, status: 'active' } as never);
      return page('Staff', ctx(signedIn), html`<h1>Staff</h1>
${invite ? html`<div class="notice" role="status"><p>Invitation for ${invite.name}, valid for 72 hours and once. Give it to them in person or by a channel you trust:</p><p><code id="invite-link">${invite.url}</code></p></div>` : ''}
<table><caption>Active staff</caption><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Invitation</th></tr></thead>
<tbody>${staff.items.map((member) => html`<tr><td>${member.name}</td><td>${member.role.replace('_', ' ')}</td><td><form method="post" action="/console/staff/${member.id}/invite"><input type="hidden" name="_csrf" value="${signedIn.session.csrf}"><button type="submit" aria-label="Invite ${member.name}">Invite</button></form></td></tr>`)}</tbody></table>`);
    };

    scope.get('/console/staff', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      if (signedIn.staff.role !== 'admin') throw new AppError('forbidden', 'only admins manage staff');
      return send(reply, await staffPage(signedIn));
    });

    // The link is shown in this response only (never in a URL of ours, so no log or history keeps it).
    scope.post('/console/staff/:id/invite', async (req, reply) => {
      const signedIn = await requireSession(accounts, req, { activity: true });
      if (signedIn.staff.role !== 'admin') throw new AppError('forbidden', 'only admins invite staff');
      const invite = await accounts.invite((req.params as { id: string }).id);
      await record(req, { actor: staffActor(signedIn), action: 'console.staff_invite', outcome: 'success', status: 200, resource: { type: 'staff', id: invite.staff.id } });
      return send(reply, await staffPage(signedIn, { url: invite.url, name: invite.staff.name }));
    });
  });
}

const BLOCKED_TEXT: Record<string, string> = {
  opted_out: 'the patient has opted out of text messages', no_consent: 'the patient has not agreed to messages from the care team', quiet_hours: "it is the patient's quiet hours; try again later",
  inactive_patient: 'the patient is no longer active',
};

/** zod issues as one message per top-level field. */
function zodErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return errors;
}
