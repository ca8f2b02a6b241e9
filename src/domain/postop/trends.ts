/**
 * What the console charts from a patient's check-ins: pain, temperature and the wound's state by protocol day.
 * A value is absent on a day the patient did not give it (not asked that day, not answered, or "not taken").
 */
import type { CheckInRecord, CheckInStatus } from './ports.js';

export interface TrendPoint {
  enrolmentId: string;
  day: number;
  localDate: string;
  status: CheckInStatus;
  pain?: number;
  temperatureC?: number;
  wound: { redness?: string; swelling?: boolean; drainage?: string; opening?: boolean; bleeding?: string };
  /** The most urgent red flag of the day, if any. */
  redFlag?: 'critical' | 'high';
}

const defined = <T extends object>(fields: T): Partial<T> => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;

/** One point per check-in, in the order given (oldest first). */
export function trendsOf(records: readonly CheckInRecord[]): TrendPoint[] {
  return records.map((record) => {
    const { facts } = record;
    const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
    const levels = record.redFlags.map((red) => red.level);
    return {
      enrolmentId: record.enrolmentId, day: record.day, localDate: record.localDate, status: record.status,
      ...defined({ pain: number(facts.pain), temperatureC: number(facts.temperature_c) }),
      wound: defined({ redness: text(facts.redness), swelling: flag(facts.swelling), drainage: text(facts.drainage), opening: flag(facts.wound_opening), bleeding: text(facts.bleeding) }),
      ...(levels.includes('critical') ? { redFlag: 'critical' as const } : levels.includes('high') ? { redFlag: 'high' as const } : {}),
    };
  });
}
