import type { Container } from '../../app/container.js';
import type { Alert } from '../../domain/alerts/alerts.js';
import type { Adherence } from '../../domain/medication/adherence.js';
import type { DoseRecord } from '../../domain/medication/doses.js';
import type { MedicationPlan } from '../../domain/medication/plan.js';
import type { PreviewItem } from '../../domain/medication/preview.js';
import type { MessageLog } from '../../domain/messaging/ports.js';
import type { Message } from '../../domain/messaging/types.js';
import type { Patient } from '../../domain/patients/ports.js';
import type { CheckInRecord } from '../../domain/postop/ports.js';
import { html, jsonBlock, type Html } from '../html.js';
import { alertStaffIds, type ConsoleNames, type StaffNames } from '../names.js';

/** The fever threshold drawn on the temperature chart (°C), as the post-op red-flag rules use it. */
export const FEVER_THRESHOLD_C = 38.0;
const CHART_DAYS = 14;

export interface PatientView {
  patient: Patient;
  plans: MedicationPlan[];
  postop?: { procedure: string; surgeryDate: string };
  messages: Message[];
  doses: DoseRecord[];
  checkIns: CheckInRecord[];
  alerts: Alert[];
  adherence: Adherence;
  preview: PreviewItem[];
  /** Names of the staff who acted on the patient's alerts. */
  staffNames: StaffNames;
}

export async function patientView(container: Container, names: ConsoleNames, messages: MessageLog, patient: Patient): Promise<PatientView> {
  const [plans, enrolment, page, doses, checkIns, alerts, adherence, preview] = await Promise.all([
    container.medication.list(patient.id, 'active'),
    container.postop.get(patient.id).then((found) => found.enrolment).catch(() => undefined),
    messages.forPatient(patient.id, { limit: 50 }),
    container.medication.recentDoses(patient.id, CHART_DAYS),
    container.postop.checkIns(patient.id),
    container.alerts.list({ patientId: patient.id }, { limit: 50 }),
    container.medication.adherence(patient.id, {}),
    container.outreachPreview.preview(patient.id, 14),
  ]);
  const staffNames = await names.staffNames(alerts.items.flatMap(alertStaffIds));
  return {
    patient, plans, ...(enrolment ? { postop: { procedure: enrolment.procedure, surgeryDate: enrolment.surgeryDate } } : {}),
    messages: page.items, doses, checkIns, alerts: alerts.items, adherence, preview, staffNames,
  };
}

interface TimelineEntry {
  at: Date;
  what: Html;
}

const stamp = (at: Date) => html`<time datetime="${at.toISOString()}">${at.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>`;

function timeline(view: PatientView): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...view.messages.map((message) => ({
      at: message.createdAt,
      what: html`<span class="tag ${message.direction}">${message.direction === 'inbound' ? 'Patient' : 'CareLoop'}</span> ${message.text} <span class="muted">(${message.channel}, ${message.status})</span>`,
    })),
    ...view.doses.map((dose) => ({ at: dose.answeredAt ?? dose.at, what: html`<span class="tag dose">Dose</span> ${dose.localDate} ${dose.localTime}: ${dose.status}` })),
    ...view.checkIns.map((checkIn) => ({
      at: checkIn.finishedAt ?? checkIn.sentAt,
      what: html`<span class="tag checkin">Check-in</span> day ${checkIn.day}: ${checkIn.status}${Object.keys(checkIn.facts).length ? html` (${Object.entries(checkIn.facts).map(([name, value]) => factText(name, value)).join(', ')})` : ''}${checkIn.redFlags.length ? html` <strong>red flags: ${checkIn.redFlags.map((flag) => flag.id).join(', ')}</strong>` : ''}`,
    })),
    ...view.alerts.map((alert) => ({
      at: alert.createdAt,
      what: html`<span class="tag alert">Alert</span> <a href="/console/alerts/${encodeURIComponent(alert.id)}">${alert.severity}: ${alert.reason}</a> (${alert.status}${alert.acknowledgedBy ? html`, acknowledged by ${view.staffNames.actor(alert.acknowledgedBy)}` : ''}${alert.assignedTo ? html`, assigned to ${view.staffNames.name(alert.assignedTo)}` : ''}${alert.resolvedBy ? html`, resolved by ${view.staffNames.actor(alert.resolvedBy)}${alert.resolution ? ` (${alert.resolution.outcome.replace(/_/g, ' ')})` : ''}` : ''})`,
    })),
  ];
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Taken and due doses per local day, for the last CHART_DAYS days (due ones only: answered, or past their slot). */
export function adherenceByDay(doses: DoseRecord[]): { date: string; due: number; taken: number }[] {
  const days = new Map<string, { due: number; taken: number }>();
  for (const dose of doses) {
    const day = days.get(dose.localDate) ?? { due: 0, taken: 0 };
    day.due += 1;
    if (dose.status === 'taken') day.taken += 1;
    days.set(dose.localDate, day);
  }
  return [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, counts]) => ({ date, ...counts }));
}

/** Pain (0-10) and temperature (°C) by check-in day, the worse reading of the day. */
export function vitalsByDay(checkIns: CheckInRecord[]): { date: string; pain?: number; temperature?: number }[] {
  return checkIns
    .filter((checkIn) => typeof checkIn.facts.pain === 'number' || typeof checkIn.facts.temperature_c === 'number')
    .map((checkIn) => ({
      date: checkIn.localDate,
      ...(typeof checkIn.facts.pain === 'number' ? { pain: checkIn.facts.pain } : {}),
      ...(typeof checkIn.facts.temperature_c === 'number' ? { temperature: checkIn.facts.temperature_c } : {}),
    }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** A check-in fact as a nurse reads it: "pain 5", "temperature 38.4 °C", "wound red: yes". */
function factText(name: string, value: unknown): string {
  if (name === 'temperature_c') return `temperature ${String(value)} °C`;
  const label = name.replace(/_/g, ' ');
  return typeof value === 'boolean' ? `${label}: ${value ? 'yes' : 'no'}` : `${label} ${String(value)}`;
}

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? 'no doses due' : `${Math.round(rate * 100)}%`);

export function patientPage(view: PatientView, csrf: string, notice?: string): Html {
  const { patient } = view;
  const byDay = adherenceByDay(view.doses);
  const vitals = vitalsByDay(view.checkIns);
  const consent = (['sms', 'webchat'] as const).map((channel) => {
    const given = patient.consent[channel];
    return html`<li>${channel === 'sms' ? 'Text messages' : 'Web chat'}: ${given?.granted ? html`yes (${given.purposes.join(', ').replace(/_/g, ' ')})` : 'no'}</li>`;
  });
  const takenDays = byDay.filter((day) => day.due > 0);
  const fevers = vitals.filter((day) => (day.temperature ?? 0) >= FEVER_THRESHOLD_C);
  const answered = view.checkIns.filter((checkIn) => checkIn.status !== 'sent' && checkIn.answers.length > 0).length;
  return html`<h1>${patient.name}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<section aria-labelledby="about"><h2 id="about" class="visually-hidden">About</h2>
<dl class="facts">
  <dt>Phone</dt><dd>${patient.phone}</dd>
  <dt>Language</dt><dd>${patient.language}</dd>
  <dt>Time zone</dt><dd>${patient.timeZone}</dd>
  <dt>Consent</dt><dd><ul class="plain">${consent}</ul></dd>
  <dt>Programmes</dt><dd><ul class="plain">${view.plans.map((plan) => html`<li>Medication: ${plan.displayName} (${plan.dose}) at ${plan.times.join(', ')} <a href="/console/patients/${patient.id}/plans/${plan.id}" aria-label="Change the ${plan.displayName} plan">Change</a></li>`)}${view.postop ? html`<li>Post-op check-ins: ${view.postop.procedure}, surgery ${view.postop.surgeryDate}</li>` : ''}${view.plans.length === 0 && !view.postop ? html`<li>none</li>` : ''}</ul></dd>
</dl>
<p><a href="/console/patients/${patient.id}/plans/new">Add a medication plan</a>${view.postop ? '' : html` · <a href="/console/patients/${patient.id}/postop/new">Enrol in post-op check-ins</a>`}</p>
</section>

<section aria-labelledby="charts"><h2 id="charts">Charts</h2>
<figure class="chart" data-chart="adherence" aria-labelledby="adherence-caption">
  <figcaption id="adherence-caption"><strong>Medication adherence by day</strong>, last ${CHART_DAYS} days.
  ${takenDays.length === 0 ? 'No doses were due.' : `${takenDays.reduce((sum, day) => sum + day.taken, 0)} of ${takenDays.reduce((sum, day) => sum + day.due, 0)} doses taken over ${takenDays.length} days.`}
  By plan (30 days): ${view.adherence.plans.length === 0 ? 'no plans' : view.adherence.plans.map((plan) => `${plan.displayName} ${percent(plan.rate)}`).join('; ')}.</figcaption>
  <div class="plot" aria-hidden="true"></div>
  ${jsonBlock('adherence-data', byDay)}
  <details><summary>Adherence data table</summary>
  <table><caption>Doses taken per day</caption><thead><tr><th scope="col">Day</th><th scope="col">Taken</th><th scope="col">Due</th></tr></thead>
  <tbody>${byDay.map((day) => html`<tr><td>${day.date}</td><td>${day.taken}</td><td>${day.due}</td></tr>`)}</tbody></table></details>
</figure>
<figure class="chart" data-chart="vitals" data-threshold="${FEVER_THRESHOLD_C}" aria-labelledby="vitals-caption">
  <figcaption id="vitals-caption"><strong>Post-op pain and temperature by day</strong>, with the fever threshold of ${FEVER_THRESHOLD_C.toFixed(1)} °C.
  ${vitals.length === 0 ? 'No check-in answers yet.' : `${vitals.length} days answered; highest pain ${Math.max(...vitals.map((day) => day.pain ?? 0))} of 10; ${fevers.length === 0 ? 'no temperature at or above the fever threshold' : `fever on ${fevers.map((day) => day.date).join(', ')}`}.`}
  Check-ins answered: ${answered} of ${view.checkIns.length}.</figcaption>
  <div class="plot" aria-hidden="true"></div>
  ${jsonBlock('vitals-data', vitals)}
  <details><summary>Pain and temperature data table</summary>
  <table><caption>Pain and temperature per check-in day</caption><thead><tr><th scope="col">Day</th><th scope="col">Pain (0-10)</th><th scope="col">Temperature (°C)</th></tr></thead>
  <tbody>${vitals.map((day) => html`<tr><td>${day.date}</td><td>${day.pain ?? '—'}</td><td>${day.temperature ?? '—'}</td></tr>`)}</tbody></table></details>
</figure>
</section>

<section aria-labelledby="reply-title"><h2 id="reply-title">Send a text message</h2>
${patient.phone
    ? html`<form method="post" action="/console/patients/${patient.id}/messages" class="stack">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="reply-text">Message to ${patient.name} (goes out only with consent for care-team messages, outside quiet hours, never after an opt-out)</label>
  <textarea id="reply-text" name="text" rows="3" maxlength="640" required></textarea>
  <button type="submit">Send</button>
</form>`
    : html`<p>No phone number.</p>`}
</section>

<section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>
<ol class="timeline" id="timeline">${timeline(view).map((entry) => html`<li>${stamp(entry.at)} ${entry.what}</li>`)}</ol>
</section>

<section aria-labelledby="preview-title"><h2 id="preview-title">Next 14 days</h2>
${view.preview.length === 0 ? html`<p>Nothing scheduled.</p>` : html`<table><caption>What CareLoop will send</caption><thead><tr><th scope="col">When (patient's time)</th><th scope="col">What</th><th scope="col">Text</th></tr></thead>
<tbody>${view.preview.map((item) => html`<tr><td>${item.localDate} ${item.localTime}</td><td>${item.kind.replace(/_/g, ' ')}</td><td>${item.text ?? '—'}</td></tr>`)}</tbody></table>`}
</section>
`;
}
