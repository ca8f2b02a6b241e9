import type { StaffMember } from '../domain/staff/staff.js';
import { html, type Html } from './html.js';

export interface PageContext {
  staff?: StaffMember;
  csrf?: string;
  /** The idle limit, for the "stay signed in" warning (console.js). */
  idleMs?: number;
  /** Pages that use passkeys load the WebAuthn helper (@simplewebauthn/browser, from our server). */
  webauthn?: boolean;
}

/** Every console page: skip link, header with navigation and sign-out, one main landmark, our own script and styles only. */
export function page(title: string, ctx: PageContext, body: Html): Html {
  const { staff, csrf } = ctx;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · CareLoop console</title>
<link rel="stylesheet" href="/console/assets/console.css">
<link rel="stylesheet" href="/console/assets/uplot.css">
<script src="/console/assets/uplot.js" defer></script>
${ctx.webauthn ? html`<script src="/console/assets/webauthn.js" defer></script>
` : ''}<script src="/console/assets/console.js" defer></script>
</head>
<body${staff ? html` data-session="on" data-idle-ms="${ctx.idleMs ?? 0}"` : ''}>
<a class="skip" href="#main">Skip to main content</a>
<header class="top">
  <p class="brand"><a href="/console">CareLoop</a></p>
  ${staff
    ? html`<nav aria-label="Console">
    <ul>
      <li><a href="/console">Alerts</a></li>
      <li><a href="/console/patients/new">Enrol a patient</a></li>
      <li><a href="/console/metrics">Metrics</a></li>
      <li><a href="/console/rules">Rules and protocols</a></li>
      ${staff.role === 'admin' ? html`<li><a href="/console/staff">Staff</a></li>` : ''}
      <li><a href="/console/account">Your account</a></li>
    </ul>
  </nav>
  <form method="post" action="/console/sign-out" class="signout">
    <input type="hidden" name="_csrf" value="${csrf}">
    <span>${staff.name} (${staff.role.replace('_', ' ')})</span>
    <button type="submit">Sign out</button>
  </form>`
    : ''}
</header>
<main id="main" tabindex="-1">
${body}
</main>
${staff
    ? html`<dialog id="idle-warning" aria-labelledby="idle-title">
  <h2 id="idle-title">Still there?</h2>
  <p>You will be signed out in <span id="idle-left">2 minutes</span> because nothing happened for a while.</p>
  <form method="post" action="/console/session/keepalive" id="stay-form">
    <input type="hidden" name="_csrf" value="${csrf}">
    <button type="submit" id="stay-signed-in">Stay signed in</button>
  </form>
</dialog>`
    : ''}
</body>
</html>`;
}

/** A field's error next to it, tied to the input with aria-describedby. */
export function fieldError(errors: Record<string, string> | undefined, name: string): Html {
  const message = errors?.[name];
  return message ? html`<p class="error" id="${name}-error">${message}</p>` : html``;
}

/** The attributes an input with a possible error gets. */
export function invalidAttrs(errors: Record<string, string> | undefined, name: string): Html {
  return errors?.[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : html``;
}

/** A form's summary of errors, focused first by console.js so screen-reader users hear it. */
export function errorSummary(errors: Record<string, string> | undefined): Html {
  if (!errors || Object.keys(errors).length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>Please correct the form</h2><ul>${Object.entries(errors).map(([name, message]) => html`<li><a href="#${name === '_form' ? 'main' : name}">${message}</a></li>`)}</ul></div>`;
}
