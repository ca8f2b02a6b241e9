import type { Container } from '../../app/container.js';
import type { Alert, AlertActor } from '../../domain/alerts/alerts.js';

/** Names of staff members by id, each looked up once; one no longer in the directory reads "a staff member". */
export interface StaffNames {
  name(staffId: string): string;
  /** Who acted on an alert: "Nina Park (console)", "Nina Park (SMS)", "API key k1". */
  actor(actor: AlertActor): string;
}

const VIA = { sms: 'SMS', link: 'link', console: 'console' } as const;

export async function lookUpStaffNames(container: Container, staffIds: Iterable<string>): Promise<StaffNames> {
  const unique = [...new Set(staffIds)];
  const names = new Map(await Promise.all(unique.map(async (id) => [id, (await container.staff.get(id).catch(() => undefined))?.name] as const)));
  const name = (staffId: string): string => names.get(staffId) ?? 'a staff member';
  return {
    name,
    actor: (actor) => (actor.kind === 'api' ? `API key ${actor.keyId}` : `${name(actor.staffId)} (${VIA[actor.via]})`),
  };
}

/** Every staff member an alert names: who acknowledged, was assigned, resolved, or acted in its timeline. */
export function alertStaffIds(alert: Alert): string[] {
  const staffOf = (actor: AlertActor | undefined): string[] => (actor?.kind === 'staff' ? [actor.staffId] : []);
  return [
    ...staffOf(alert.acknowledgedBy),
    ...staffOf(alert.resolvedBy),
    ...(alert.assignedTo ? [alert.assignedTo] : []),
    ...alert.timeline.flatMap((event) => [...staffOf(event.by), ...(event.staffId ? [event.staffId] : [])]),
  ];
}
