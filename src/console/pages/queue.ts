import type { Container } from '../../app/container.js';
import { ALERT_STATUSES, RESOLUTION_OUTCOMES, UNACKNOWLEDGED, type Alert, type AlertActor, type AlertStatus } from '../../domain/alerts/alerts.js';
import type { Patient } from '../../domain/patients/ports.js';
import type { StaffMember } from '../../domain/staff/staff.js';
import { html, type Html } from '../html.js';
import { fieldError } from '../layout.js';
import { alertStaffIds, type ConsoleNames, type StaffNames } from '../names.js';

export interface QueueFilter {
  scope: 'mine' | 'teams' | 'all';
  state: 'open' | 'closed';
}

export interface QueueRow {
  alert: Alert;
  patientName?: string;
  owner?: string;
  ageMinutes: number;
  /** Minutes until the first level's acknowledgement deadline; negative once breached. */
  deadlineMinutes: number;
  met?: boolean;
}

export interface QueueView {
  rows: QueueRow[];
  patientIds: string[];
  filter: QueueFilter;
  canSeeAll: boolean;
  /** More alerts match than the queue reads (the newest QUEUE_WINDOW are shown, and the page says so). */
  truncated: boolean;
}

/** Alerts read per queue view (the newest): the queue is for what needs doing now. */
export const QUEUE_WINDOW = 500;
const SEVERITY_ORDER = { critical: 0, high: 1, normal: 2 } as const;

/** When the first level of an alert's paging policy expects an acknowledgement. */
export const ackDeadline = (alert: Alert): Date => new Date(alert.createdAt.getTime() + (alert.policy.levels[0]?.ackTimeoutMinutes ?? 15) * 60_000);

export async function queueView(container: Container, names: ConsoleNames, staff: StaffMember, filter: QueueFilter): Promise<QueueView> {
  const admin = staff.role === 'admin';
  const scope = filter.scope === 'all' && !admin ? 'teams' : filter.scope;
  // The open view asks for the unresolved statuses only, so an open alert is never crowded out by newer closed ones.
  const statuses: AlertStatus[] = filter.state === 'open' ? ALERT_STATUSES.filter((status) => status !== 'resolved') : ['resolved'];
  const team = scope === 'all' ? {} : { careTeamId: staff.careTeamId };
  const page = await container.alerts.list({ ...team, statuses }, { limit: QUEUE_WINDOW });
  const now = container.clock.now();
  const alerts = page.items
    .filter((alert) => scope !== 'mine' || ownerId(alert) === staff.id)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.createdAt.getTime() - a.createdAt.getTime());
  const patients = await names.patientNames(alerts.flatMap((alert) => (alert.patientId ? [alert.patientId] : [])));
  const staffNames = await names.staffNames(alerts.flatMap((alert) => { const id = ownerId(alert); return id ? [id] : []; }));
  const rows = alerts.map((alert): QueueRow => {
    const deadline = ackDeadline(alert);
    return {
      alert,
      patientName: alert.patientId ? patients.get(alert.patientId) : undefined,
      owner: alert.assignedTo ? staffNames.name(alert.assignedTo) : alert.acknowledgedBy && ownerName(alert.acknowledgedBy, staffNames),
      ageMinutes: Math.floor((now.getTime() - alert.createdAt.getTime()) / 60_000),
      deadlineMinutes: Math.floor((deadline.getTime() - now.getTime()) / 60_000),
      ...(alert.acknowledgedAt ? { met: alert.acknowledgedAt <= deadline } : {}),
    };
  });
  return { rows, patientIds: [...patients.keys()], filter: { ...filter, scope }, canSeeAll: admin, truncated: page.nextCursor !== null };
}

/** Who owns an alert: the staff member it was assigned to, else the one who acknowledged it. */
const ownerId = (alert: Alert): string | undefined => alert.assignedTo ?? (alert.acknowledgedBy?.kind === 'staff' ? alert.acknowledgedBy.staffId : undefined);

/** The owner column names the person (or key) without the channel. */
const ownerName = (actor: AlertActor, names: StaffNames): string => (actor.kind === 'api' ? `API key ${actor.keyId}` : names.name(actor.staffId));

const minutes = (total: number): string => (Math.abs(total) < 60 ? `${Math.abs(total)} min` : `${Math.floor(Math.abs(total) / 60)} h ${Math.abs(total) % 60} min`);

function deadlineCell(row: QueueRow): Html {
  if (row.met !== undefined) return html`<span class="${row.met ? 'ok' : 'late'}">${row.met ? 'acknowledged in time' : 'acknowledged late'}</span>`;
  if (!UNACKNOWLEDGED.includes(row.alert.status)) return html`—`;
  return row.deadlineMinutes >= 0 ? html`${minutes(row.deadlineMinutes)} left` : html`<strong class="late">breached ${minutes(row.deadlineMinutes)} ago</strong>`;
}

/** The rows alone: what the live refresh swaps in. Each row's controls have stable ids, so focus survives a refresh. */
export function queueRows(view: QueueView, csrf: string): Html {
  const truncated = view.truncated ? html`<tr id="queue-truncated"><td colspan="7"><strong>Only the newest ${QUEUE_WINDOW} ${view.filter.state} alerts are read; older ones are left out.</strong></td></tr>` : '';
  if (view.rows.length === 0) return html`<tbody id="queue-rows"><tr><td colspan="7">No ${view.filter.state} alerts here.</td></tr>${truncated}</tbody>`;
  return html`<tbody id="queue-rows">${view.rows.map((row, index) => {
    const { alert } = row;
    const label = row.patientName ?? 'no patient';
    return html`<tr data-alert-id="${alert.id}">
  <td><span class="severity ${alert.severity}">${alert.severity}</span></td>
  <td>${alert.patientId ? html`<a href="/console/patients/${alert.patientId}">${label}</a>` : label}</td>
  <td><a href="/console/alerts/${encodeURIComponent(alert.id)}" id="open-${index}">${alert.reason}</a></td>
  <td>${minutes(row.ageMinutes)}</td>
  <td>${deadlineCell(row)}</td>
  <td>${row.owner ?? html`<span class="muted">nobody yet</span>`}</td>
  <td><div class="actions">${UNACKNOWLEDGED.includes(alert.status)
    ? html`<form method="post" action="/console/alerts/${encodeURIComponent(alert.id)}/acknowledge"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" id="ack-${alertKey(alert)}" aria-label="Acknowledge ${alert.severity} alert for ${label}">Acknowledge</button></form>`
    : ''}${alert.status === 'resolved' ? html`<span>resolved</span>` : html`<a href="/console/alerts/${encodeURIComponent(alert.id)}#resolve" aria-label="Resolve alert for ${label}">Resolve…</a>`}</div></td>
</tr>`;
  })}${truncated}</tbody>`;
}

/** A stable, id-safe key for an alert's controls. */
const alertKey = (alert: Alert): string => Buffer.from(alert.id).toString('base64url');

export function queuePage(view: QueueView, filter: QueueFilter, csrf: string, notice?: string): Html {
  const scopes: [QueueFilter['scope'], string][] = [['mine', 'Mine'], ['teams', 'My team'], ...(view.canSeeAll ? [['all', 'All teams'] as [QueueFilter['scope'], string]] : [])];
  return html`<h1>Alert queue</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<form method="get" action="/console" class="filters">
  <fieldset><legend>Whose</legend>
  ${scopes.map(([value, label]) => html`<input type="radio" name="scope" id="scope-${value}" value="${value}"${view.filter.scope === value ? html` checked` : ''}><label for="scope-${value}">${label}</label>`)}
  </fieldset>
  <fieldset><legend>Status</legend>
  ${(['open', 'closed'] as const).map((value) => html`<input type="radio" name="state" id="state-${value}" value="${value}"${filter.state === value ? html` checked` : ''}><label for="state-${value}">${value === 'open' ? 'Open' : 'Closed'}</label>`)}
  </fieldset>
  <button type="submit">Show</button>
</form>
<p id="live-status" class="visually-hidden" role="status" aria-live="polite"></p>
<table class="queue">
<caption>${filter.state === 'open' ? 'Open' : 'Closed'} alerts, most severe first. The list updates by itself.</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Patient</th><th scope="col">Reason</th><th scope="col">Age</th><th scope="col">Acknowledge by</th><th scope="col">Owner</th><th scope="col">Actions</th></tr></thead>
${queueRows(view, csrf)}
</table>
<div id="live-source" data-live-src="/console/alerts/rows?scope=${view.filter.scope}&amp;state=${filter.state}" hidden></div>`;
}

const OUTCOME_LABELS: Record<(typeof RESOLUTION_OUTCOMES)[number], string> = {
  patient_contacted: 'Patient contacted', seen_in_clinic: 'Seen in clinic', sent_to_emergency: 'Sent to emergency care', no_action_needed: 'No action needed', false_alarm: 'False alarm', other: 'Other',
};

export async function alertPage(container: Container, names: ConsoleNames, alert: Alert, patient: Patient | undefined, csrf: string, errors?: Record<string, string>): Promise<Html> {
  const team = alert.careTeamId ? (await container.staff.list({ limit: 200, status: 'active', careTeamId: alert.careTeamId } as never)).items : [];
  const staffNames = await names.staffNames(alertStaffIds(alert));
  return html`<h1>${alert.severity} alert: ${alert.reason}</h1>
<dl class="facts">
  <dt>Patient</dt><dd>${alert.patientId ? html`<a href="/console/patients/${alert.patientId}">${patient?.name ?? 'patient'}</a>` : 'none'}</dd>
  <dt>Status</dt><dd id="alert-status">${alert.status}</dd>
  <dt>Raised</dt><dd><time datetime="${alert.createdAt.toISOString()}">${alert.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time></dd>
  <dt>Acknowledge by</dt><dd>${ackDeadline(alert).toISOString().replace('T', ' ').slice(0, 16)} UTC</dd>
  ${alert.resolution ? html`<dt>Outcome</dt><dd>${OUTCOME_LABELS[alert.resolution.outcome]}${alert.resolution.note ? html`: ${alert.resolution.note}` : ''}</dd>` : ''}
</dl>
${alert.status === 'resolved'
    ? html`<form method="post" action="/console/alerts/${encodeURIComponent(alert.id)}/reopen" class="stack">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="reopen-note">Why reopen (optional)</label><textarea id="reopen-note" name="note" rows="2"></textarea>
  <button type="submit">Reopen</button>
</form>`
    : html`${UNACKNOWLEDGED.includes(alert.status) ? html`<form method="post" action="/console/alerts/${encodeURIComponent(alert.id)}/acknowledge"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Acknowledge</button></form>` : ''}
${team.length > 0
    ? html`<form method="post" action="/console/alerts/${encodeURIComponent(alert.id)}/assign" class="stack" id="assign">
  <input type="hidden" name="_csrf" value="${csrf}">
  <h2>Assign</h2>
  <label for="staffId">Hand the follow-up to</label>
  <select id="staffId" name="staffId">${team.map((member) => html`<option value="${member.id}"${alert.assignedTo === member.id ? html` selected` : ''}>${member.name} (${member.role.replace('_', ' ')})</option>`)}</select>
  <button type="submit">Assign</button>
</form>`
    : ''}
<form method="post" action="/console/alerts/${encodeURIComponent(alert.id)}/resolve" class="stack" id="resolve">
  <input type="hidden" name="_csrf" value="${csrf}">
  <h2>Resolve</h2>
  <label for="outcome">Outcome</label>
  <select id="outcome" name="outcome" required${errors?.outcome ? html` aria-invalid="true" aria-describedby="outcome-error"` : ''}>
    <option value="">Choose…</option>
    ${RESOLUTION_OUTCOMES.map((outcome) => html`<option value="${outcome}">${OUTCOME_LABELS[outcome]}</option>`)}
  </select>
  ${fieldError(errors, 'outcome')}
  <label for="note">Note</label>
  <textarea id="note" name="note" rows="3" maxlength="2000"></textarea>
  <button type="submit">Resolve alert</button>
</form>`}
<h2>Timeline</h2>
<ol class="timeline">${alert.timeline.map((event) => html`<li><time datetime="${event.at.toISOString()}">${event.at.toISOString().replace('T', ' ').slice(0, 16)}</time> ${event.type}${event.by ? html` by ${staffNames.actor(event.by)}` : ''}${event.staffId ? html` to ${staffNames.name(event.staffId)}` : ''}${event.channel ? html` by ${event.channel}` : ''}${event.outcome ? html` (${event.outcome})` : ''}${event.note ? html`: ${event.note}` : ''}</li>`)}</ol>`;
}
