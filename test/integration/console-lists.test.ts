import { beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../../src/app/container.js';
import { ConsoleNames, NAME_TTL_MS } from '../../src/console/names.js';
import { metricsPage, teamMetrics } from '../../src/console/pages/metrics.js';
import { QUEUE_WINDOW, queueRows, queueView } from '../../src/console/pages/queue.js';
import type { Alert } from '../../src/domain/alerts/alerts.js';
import type { StaffMember } from '../../src/domain/staff/staff.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openTestDatabase } from '../helpers/db.js';

/**
 * The console's lists at a team's scale (issue 14): the metrics count every alert of the weeks shown and every
 * active patient of the team, however many pages that takes, and say so when a bound stopped the count; the queue
 * reads the newest 500 open alerts in one query and says when there are more; names are kept for a minute.
 */
const clock = fixedClock(new Date('2026-06-10T12:00:00Z'));
const WEEK_MS = 7 * 86_400_000;
let container: ReturnType<typeof buildContainer>;
let lead: StaffMember;
let expectedAlerts: number;
let renamedPatient: string;
const PATIENTS = 520;

beforeAll(async () => {
  const { db, config } = await openTestDatabase({ clock });
  container = buildContainer({ config, logger: createLogger('silent'), db, clock });
  const team = await container.careTeams.create({ name: 'Surgery', timeZone: 'UTC' });
  const other = await container.careTeams.create({ name: 'Elsewhere', timeZone: 'UTC' });
  lead = await container.staff.create({ name: 'Lena Lead', role: 'nurse', careTeamId: team.id, phone: '+15550001111', notificationChannels: [] });
  const actor = { keyId: 'test', role: 'admin' };
  for (let start = 0; start < PATIENTS; start += 20) {
    const created = await Promise.all(Array.from({ length: Math.min(20, PATIENTS - start) }, (_, offset) => container.patients.create(
      { name: `Patient ${start + offset}`, phone: `+1555100${String(start + offset).padStart(4, '0')}`, timeZone: 'UTC', language: 'en', dateOfBirth: '1960-01-01', careTeamId: team.id, consent: { sms: true } }, actor,
    )));
    renamedPatient ??= created[0]!.id;
  }
  const { alert: template } = await container.alerts.raise({ kind: 'triage', severity: 'high', idempotencyKey: 'template', careTeamId: team.id, reason: 'symptom check' });
  // 1,100 more alerts spread over the last 10 weeks (three pages of the list), and some of another team.
  const now = clock.now().getTime();
  const severities = ['critical', 'high', 'normal'] as const;
  const spread: Alert[] = Array.from({ length: 1_100 }, (_, index) => ({
    ...template, id: `handoff:metrics-${index}`, kind: 'handoff', severity: severities[index % 3]!, createdAt: new Date(now - Math.floor((index * 10 * WEEK_MS) / 1_100)), updatedAt: clock.now(),
  }));
  const elsewhere = Array.from({ length: 30 }, (_, index) => ({ ...template, id: `handoff:other-${index}`, kind: 'handoff' as const, careTeamId: other.id, createdAt: clock.now() }));
  for (const alert of [...spread, ...elsewhere]) await db.repositories.alerts.insert(alert);
  expectedAlerts = 1 + spread.filter((alert) => alert.createdAt.getTime() >= now - 8 * WEEK_MS).length;
}, 180_000);

describe('team metrics', () => {
  it('count every alert of the last 8 weeks and every active patient of the team, across pages', async () => {
    const metrics = await teamMetrics(container, lead);
    expect(expectedAlerts).toBeGreaterThan(500);
    expect(metrics.alerts).toBe(expectedAlerts);
    expect(metrics.perWeek.reduce((sum, week) => sum + week.critical + week.high + week.normal, 0)).toBe(expectedAlerts);
    expect(metrics.patients).toBe(PATIENTS);
    expect(metrics.complete).toBe(true);
    expect(metricsPage(metrics).text).not.toContain('metrics-bounded');
  });

  it('say when a bound stopped the count', async () => {
    const metrics = await teamMetrics(container, lead, { alerts: 300, patients: 100 });
    expect([metrics.alerts, metrics.patients, metrics.complete]).toEqual([300, 100, false]);
    expect(metricsPage(metrics).text).toContain('id="metrics-bounded">Counted up to 300 alerts and 100 patients');
  });
});

describe('the alert queue', () => {
  it('lists the newest open alerts, most severe first, and says when older ones are left out', async () => {
    const view = await queueView(container, new ConsoleNames(container), lead, { scope: 'teams', state: 'open' });
    expect(view.rows).toHaveLength(QUEUE_WINDOW);
    expect(view.truncated).toBe(true);
    expect(view.rows.every((row) => row.alert.careTeamId === lead.careTeamId && row.alert.status !== 'resolved')).toBe(true);
    const severities = view.rows.map((row) => row.alert.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ['critical', 'high', 'normal'].indexOf(a) - ['critical', 'high', 'normal'].indexOf(b)));
    expect(queueRows(view, 'csrf').text).toContain(`id="queue-truncated"><td colspan="7"><strong>Only the newest ${QUEUE_WINDOW} open alerts are read`);
  });

  it('shows a renamed patient under the new name within a minute (names are kept that long)', async () => {
    const names = new ConsoleNames(container);
    const patientOf = async () => (await queueView(container, names, lead, { scope: 'teams', state: 'open' })).rows.find((row) => row.alert.id === renamedAlert)!.patientName;
    const renamedAlert = (await container.alerts.raise({ kind: 'triage', severity: 'critical', idempotencyKey: 'renamed', patientId: renamedPatient, careTeamId: lead.careTeamId, reason: 'chest pain' })).alert.id;
    expect(await patientOf()).toBe('Patient 0');
    await container.patients.update(renamedPatient, { name: 'Patient Zero' }, { keyId: 'test', role: 'admin' });
    expect(await patientOf()).toBe('Patient 0');
    clock.advance(NAME_TTL_MS + 1);
    expect(await patientOf()).toBe('Patient Zero');
  });
});
