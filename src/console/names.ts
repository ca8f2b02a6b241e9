import { LRUCache } from 'lru-cache';
import type { Container } from '../app/container.js';
import type { Alert, AlertActor } from '../domain/alerts/alerts.js';

/** Names of staff members by id; one no longer in the directory reads "a staff member". */
export interface StaffNames {
  name(staffId: string): string;
  /** Who acted on an alert: "Nina Park (console)", "Nina Park (SMS)", "API key k1". */
  actor(actor: AlertActor): string;
}

const VIA = { sms: 'SMS', link: 'link', console: 'console' } as const;
/** How long a name is kept, and how many: a renamed patient or staff member shows under the new name within this. */
export const NAME_TTL_MS = 60_000;
const NAMES_KEPT = 10_000;

/**
 * Patient and staff names by id for the console's lists, kept for a minute (lru-cache, on the container's clock).
 * Every open console refreshes its queue every 3 seconds, and a name by id is a database read each time (the queue
 * of 200 alerts spent half its time on them: `npm run bench:console`). Concurrent misses of one id share one read.
 */
export class ConsoleNames {
  private readonly patients: LRUCache<string, string>;
  private readonly staff: LRUCache<string, string>;

  constructor(container: Container) {
    const perf = { now: () => container.clock.now().getTime() };
    const options = { max: NAMES_KEPT, ttl: NAME_TTL_MS, perf };
    this.patients = new LRUCache<string, string>({ ...options, fetchMethod: async (id) => (await container.patients.get(id).catch(() => undefined))?.name });
    this.staff = new LRUCache<string, string>({ ...options, fetchMethod: async (id) => (await container.staff.get(id).catch(() => undefined))?.name });
  }

  /** Each id's patient name (absent when there is no such patient). */
  patientNames(ids: Iterable<string>): Promise<Map<string, string | undefined>> {
    return fetchAll(this.patients, ids);
  }

  async staffNames(ids: Iterable<string>): Promise<StaffNames> {
    const names = await fetchAll(this.staff, ids);
    const name = (staffId: string): string => names.get(staffId) ?? 'a staff member';
    return {
      name,
      actor: (actor) => (actor.kind === 'api' ? `API key ${actor.keyId}` : `${name(actor.staffId)} (${VIA[actor.via]})`),
    };
  }
}

async function fetchAll(cache: LRUCache<string, string>, ids: Iterable<string>): Promise<Map<string, string | undefined>> {
  const unique = [...new Set(ids)];
  return new Map(await Promise.all(unique.map(async (id) => [id, await cache.fetch(id)] as const)));
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
