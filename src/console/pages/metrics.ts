import type { Container } from '../../app/container.js';
import type { StaffMember } from '../../domain/staff/staff.js';
import type { Page } from '../../domain/common.js';
import { forEachLimited } from '../../lib/concurrency.js';
import { html, jsonBlock, type Html } from '../html.js';
import { ackDeadline } from './queue.js';

/**
 * The figures cover every alert of the weeks shown and every active patient of the team, read in pages, up to
 * these bounds (an all-teams view of a large deployment stops there, and the page says how far it counted).
 */
const PAGE = 500;
const MAX_ALERTS = 10_000;
const MAX_PATIENTS = 2_000;
/** Patients whose adherence and check-ins are read at once. */
const PATIENTS_IN_FLIGHT = 8;
const WEEKS = 8;
const WEEK_MS = 7 * 86_400_000;

export interface TeamMetrics {
  alerts: number;
  patients: number;
  /** False when a bound stopped the count (the page says so). */
  complete: boolean;
  bounds: { alerts: number; patients: number };
  medianAckMinutes?: number;
  acknowledgedInTime: { met: number; of: number };
  perWeek: { week: string; critical: number; high: number; normal: number }[];
  adherence: { taken: number; due: number };
  checkIns: { answered: number; sent: number };
  /** Post-op check-ins sent and answered per week (the same weeks as perWeek). */
  checkInsPerWeek: { week: string; sent: number; answered: number }[];
}

/** The team lead's figures: the staff member's team (an admin: every team). */
export async function teamMetrics(container: Container, staff: StaffMember, bounds = { alerts: MAX_ALERTS, patients: MAX_PATIENTS }): Promise<TeamMetrics> {
  const team = staff.role === 'admin' ? {} : { careTeamId: staff.careTeamId };
  const now = container.clock.now();
  const since = now.getTime() - WEEKS * WEEK_MS;
  const { items: alerts, complete: allAlerts } = await readPages(bounds.alerts, (cursor) => container.alerts.list(team, { limit: PAGE, ...(cursor ? { cursor } : {}) }), (alert) => alert.createdAt.getTime() >= since);
  const acked = alerts.filter((alert) => alert.acknowledgedAt);
  const ackMinutes = acked.map((alert) => (alert.acknowledgedAt!.getTime() - alert.createdAt.getTime()) / 60_000).sort((a, b) => a - b);
  const perWeek = Array.from({ length: WEEKS }, (_, index) => ({ week: new Date(since + index * WEEK_MS).toISOString().slice(0, 10), critical: 0, high: 0, normal: 0 }));
  // The week an instant falls in; now itself belongs to the last one.
  const weekOf = (at: Date) => Math.min(WEEKS - 1, Math.floor((at.getTime() - since) / WEEK_MS));
  for (const alert of alerts) perWeek[weekOf(alert.createdAt)]![alert.severity] += 1;

  const { items: patients, complete: allPatients } = await readPages(bounds.patients, (cursor) => container.patients.list({ limit: PAGE, status: 'active', ...team, ...(cursor ? { cursor } : {}) } as never), () => true);
  const adherence = { taken: 0, due: 0 };
  const checkIns = { answered: 0, sent: 0 };
  const checkInsPerWeek = perWeek.map(({ week }) => ({ week, sent: 0, answered: 0 }));
  await forEachLimited(patients, PATIENTS_IN_FLIGHT, async (patient) => {
    const [figures, records] = await Promise.all([container.medication.adherence(patient.id, {}), container.postop.checkIns(patient.id)]);
    adherence.taken += figures.overall.taken;
    adherence.due += figures.overall.due;
    checkIns.sent += records.length;
    checkIns.answered += records.filter((record) => record.answers.length > 0).length;
    for (const record of records) {
      if (record.sentAt.getTime() < since) continue;
      const week = checkInsPerWeek[weekOf(record.sentAt)]!;
      week.sent += 1;
      if (record.answers.length > 0) week.answered += 1;
    }
  });
  return {
    alerts: alerts.length,
    patients: patients.length,
    complete: allAlerts && allPatients,
    bounds,
    ...(ackMinutes.length ? { medianAckMinutes: median(ackMinutes) } : {}),
    acknowledgedInTime: { met: acked.filter((alert) => alert.acknowledgedAt! <= ackDeadline(alert)).length, of: acked.length },
    perWeek, adherence, checkIns, checkInsPerWeek,
  };
}

/**
 * Reads a newest-first list page by page while its items are wanted (`keep`: the first unwanted item ends it), up
 * to `max` items; `complete` says whether it got to the end.
 */
async function readPages<T>(max: number, read: (cursor?: string) => Promise<Page<T>>, keep: (item: T) => boolean): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read(cursor);
    const wanted = page.items.filter(keep);
    const room = max - items.length;
    items.push(...wanted.slice(0, room));
    if (wanted.length > room) return { items, complete: false };
    if (wanted.length < page.items.length || !page.nextCursor) return { items, complete: true };
    if (items.length === max) return { items, complete: false };
    cursor = page.nextCursor;
  }
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const share = (part: number, whole: number) => (whole === 0 ? 'none yet' : `${Math.round((part / whole) * 100)}% (${part} of ${whole})`);

export function metricsPage(metrics: TeamMetrics): Html {
  return html`<h1>Team metrics</h1>
<p>The last ${WEEKS} weeks: ${metrics.alerts} alerts, ${metrics.patients} active patients.${metrics.complete ? '' : html` <strong id="metrics-bounded">Counted up to ${metrics.bounds.alerts} alerts and ${metrics.bounds.patients} patients, the newest: the figures leave older ones out.</strong>`}</p>
<dl class="facts metrics">
  <dt>Median time to acknowledge</dt><dd id="median-ack">${metrics.medianAckMinutes === undefined ? 'no acknowledged alerts' : `${Math.round(metrics.medianAckMinutes)} min`}</dd>
  <dt>Acknowledged within the deadline</dt><dd id="ack-in-time">${share(metrics.acknowledgedInTime.met, metrics.acknowledgedInTime.of)}</dd>
  <dt>Reminder adherence (30 days)</dt><dd id="adherence">${share(metrics.adherence.taken, metrics.adherence.due)}</dd>
  <dt>Post-op check-ins answered</dt><dd id="checkin-response">${share(metrics.checkIns.answered, metrics.checkIns.sent)}</dd>
</dl>
<figure class="chart" data-chart="response" aria-labelledby="response-caption">
  <figcaption id="response-caption"><strong>Post-op check-in response rate by week</strong>: ${metrics.checkInsPerWeek.filter((week) => week.sent > 0).map((week) => `week from ${week.week} ${share(week.answered, week.sent)}`).join('; ') || 'no check-ins sent in these weeks'}.</figcaption>
  <div class="plot" aria-hidden="true"></div>
  ${jsonBlock('response-data', metrics.checkInsPerWeek.map((week) => ({ date: week.week, due: week.sent, taken: week.answered })))}
  <details><summary>Check-in response data table</summary>
  <table><caption>Check-ins sent and answered per week</caption><thead><tr><th scope="col">Week from</th><th scope="col">Answered</th><th scope="col">Sent</th></tr></thead>
  <tbody>${metrics.checkInsPerWeek.map((week) => html`<tr><td>${week.week}</td><td>${week.answered}</td><td>${week.sent}</td></tr>`)}</tbody></table></details>
</figure>
<table class="per-week"><caption>Alerts per severity per week (${metrics.alerts} in all)</caption>
<thead><tr><th scope="col">Week from</th><th scope="col">Critical</th><th scope="col">High</th><th scope="col">Normal</th></tr></thead>
<tbody>${metrics.perWeek.map((week) => html`<tr><td>${week.week}</td><td>${week.critical}</td><td>${week.high}</td><td>${week.normal}</td></tr>`)}</tbody></table>`;
}
