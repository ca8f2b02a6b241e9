/**
 * Who is on call for a care team (a weekly rotation with one-off overrides), and who a level's targets name
 * once on-call and team targets are expanded. Pure: the caller loads the rotation and the team's staff.
 */
import { z } from 'zod';
import { idSchema, timeZoneSchema } from '../common.js';
import { addDays, daysBetween, isoWeekday, localDateTime, resolveLocalTime } from '../medication/local-time.js';
import { timeOfDaySchema, WEEKDAYS, type Target } from './policy.js';

const EARLIEST_DATE = '2000-01-01';
const LATEST_DATE = '2100-12-31';
const MAX_OVERRIDES = 200;

const instantSchema = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with an offset, e.g. 2025-03-08T17:00:00-05:00' });

/** Someone else covers [from, to), e.g. a swapped weekend or sick cover. */
export const rotationOverrideSchema = z
  .strictObject({ from: instantSchema, to: instantSchema, staffId: idSchema })
  .refine((override) => Date.parse(override.from) < Date.parse(override.to), { message: 'expected from before to', path: ['to'] });

export const rotationSchema = z.strictObject({
  timeZone: timeZoneSchema,
  /** When the week passes to the next person, on the rotation's local clock (so DST does not move it). */
  handover: z.strictObject({ day: z.enum(WEEKDAYS), time: timeOfDaySchema }),
  /** In rotation order; one person may appear more than once (two weeks out of five, say). */
  staffIds: z.array(idSchema).min(1, 'expected at least one staff member').max(50),
  /** The week the first person starts: their turn runs until the second handover on or after this date. */
  startsOn: z.iso
    .date('expected a date as YYYY-MM-DD')
    .refine((value) => value >= EARLIEST_DATE && value <= LATEST_DATE, `expected a date between ${EARLIEST_DATE} and ${LATEST_DATE}`),
  overrides: z.array(rotationOverrideSchema).max(MAX_OVERRIDES).optional(),
});
export type Rotation = z.infer<typeof rotationSchema>;
export type RotationOverride = z.infer<typeof rotationOverrideSchema>;

/** The first date on or after `startsOn` that falls on the handover day. */
function firstHandoverDate(rotation: Rotation): string {
  const wanted = WEEKDAYS.indexOf(rotation.handover.day) + 1;
  return addDays(rotation.startsOn, (wanted - isoWeekday(rotation.startsOn) + 7) % 7);
}

/** The override covering `instant`: the one that started latest, and of those the one listed last. */
function overrideAt(overrides: readonly RotationOverride[], instant: number): RotationOverride | undefined {
  let chosen: { override: RotationOverride; from: number } | undefined;
  for (const override of overrides) {
    const from = Date.parse(override.from);
    if (from > instant || instant >= Date.parse(override.to)) continue;
    if (!chosen || from >= chosen.from) chosen = { override, from };
  }
  return chosen?.override;
}

/**
 * How many handovers have happened by `instant`, less one: 0 for the first person's turn (and for any time
 * before it). Handover k is at the handover time on the local date 7k days after the first one, resolved in
 * the rotation's zone (a time in a DST gap means the first minute after it), so a DST change never shifts it.
 */
function weekIndex(rotation: Rotation, instant: Date): number {
  const firstDate = firstHandoverDate(rotation);
  const localDate = localDateTime(instant, rotation.timeZone).date;
  let week = Math.floor(daysBetween(firstDate, localDate) / 7);
  if (week < 0) return 0;
  // On a handover date the turn changes only at the handover time.
  const handoverAt = resolveLocalTime(addDays(firstDate, week * 7), rotation.handover.time, rotation.timeZone).at;
  if (instant < handoverAt) week -= 1;
  return Math.max(week, 0);
}

/** The staff id on call at `instant`: an override first, otherwise the person whose week contains it. */
export function onCallAt(rotation: Rotation, instant: Date): string {
  const override = overrideAt(rotation.overrides ?? [], instant.getTime());
  if (override) return override.staffId;
  try {
    return rotation.staffIds[weekIndex(rotation, instant) % rotation.staffIds.length]!;
  } catch (cause) {
    throw new Error(`finding who is on call in ${rotation.timeZone}`, { cause });
  }
}

/** The least a staff record must say to be paged. */
export interface StaffRef {
  id: string;
  active: boolean;
}

export interface TargetContext<S extends StaffRef> {
  /** The on-call staff id (onCallAt), or undefined when the team has no rotation. */
  onCall?: string;
  /** The alert's care team. */
  teamStaff: readonly S[];
  /** Staff that `staff` targets and the on-call person may name, including people outside the team. */
  staffById: ReadonlyMap<string, S>;
}

export interface ResolvedTargets<S extends StaffRef> {
  /** Who to page: active, each once, in target order. */
  staff: S[];
  /**
   * True when the whole active team is paged instead of what the targets named: no one on call (or the on-call
   * person unknown or inactive), or nobody the targets name can be paged. An alert never pages nobody while the
   * team has someone.
   */
  fallback: boolean;
  /** Staff ids the targets named that are unknown or inactive (for the alert's log). */
  skipped: string[];
}

/** Expands a level's targets into the staff to page. */
export function resolveTargets<S extends StaffRef>(targets: readonly Target[], context: TargetContext<S>): ResolvedTargets<S> {
  const paged = new Map<string, S>();
  const skipped = new Set<string>();
  let fallback = false;
  const activeTeam = context.teamStaff.filter((member) => member.active);
  const add = (members: readonly S[]) => {
    for (const member of members) if (!paged.has(member.id)) paged.set(member.id, member);
  };
  const addById = (staffId: string): boolean => {
    const member = context.staffById.get(staffId) ?? context.teamStaff.find((candidate) => candidate.id === staffId);
    if (member?.active) add([member]);
    else skipped.add(staffId);
    return member?.active === true;
  };

  for (const target of targets) {
    if (target.type === 'staff') addById(target.staffId);
    else if (target.type === 'team') add(activeTeam);
    else if (context.onCall === undefined || !addById(context.onCall)) fallback = true;
  }
  if (fallback || paged.size === 0) {
    add(activeTeam);
    fallback = true;
  }
  return { staff: [...paged.values()], fallback, skipped: [...skipped] };
}
