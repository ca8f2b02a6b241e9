/**
 * A dose is one planned slot of a plan, recorded as it goes: scheduled -> reminded -> taken / skipped /
 * snoozed / unconfirmed. Its id is the slot's key (`med:<planId>:<localDate>T<HH:MM>`), so it is created once.
 */

export const DOSE_STATUSES = ['scheduled', 'reminded', 'snoozed', 'taken', 'skipped', 'unconfirmed'] as const;
export type DoseStatus = (typeof DOSE_STATUSES)[number];

/** Statuses of a dose still waiting for the patient's answer. */
export const OPEN_DOSE_STATUSES: readonly DoseStatus[] = ['scheduled', 'reminded', 'snoozed'];

export interface DoseRecord {
  key: string;
  planId: string;
  patientId: string;
  localDate: string;
  localTime: string;
  /** The slot's instant (UTC). */
  at: Date;
  status: DoseStatus;
  remindedAt?: Date;
  answeredAt?: Date;
  snoozedUntil?: Date;
  /** Every status the dose went through, with when. */
  history: { status: DoseStatus; at: Date }[];
}

/** What happened to a dose: a reminder went out, the patient answered, or no answer came in time. */
export type DoseEvent =
  | { type: 'reminded' }
  | { type: 'taken' }
  | { type: 'skipped' }
  | { type: 'snoozed'; until: Date }
  | { type: 'unconfirmed' };

/**
 * Which event may follow which status. A follow-up reminder repeats `reminded`; a late answer still records
 * an unconfirmed dose; taken and skipped can correct each other ("actually I took it"); nothing else moves
 * an answered dose, so a late or replayed reminder never reopens it.
 */
const NEXT: Record<DoseStatus, readonly DoseStatus[]> = {
  scheduled: ['reminded', 'taken', 'skipped', 'snoozed', 'unconfirmed'],
  reminded: ['reminded', 'taken', 'skipped', 'snoozed', 'unconfirmed'],
  snoozed: ['reminded', 'taken', 'skipped', 'snoozed', 'unconfirmed'],
  unconfirmed: ['taken', 'skipped'],
  taken: ['skipped'],
  skipped: ['taken'],
};

/** The fields a dose event changes, or undefined when the event does not apply to the dose's status. */
export function applyDoseEvent(status: DoseStatus, event: DoseEvent, at: Date): Partial<DoseRecord> & { status: DoseStatus } | undefined {
  const next: DoseStatus = event.type;
  if (!NEXT[status].includes(next)) return undefined;
  switch (event.type) {
    case 'reminded':
      return { status: next, remindedAt: at };
    case 'snoozed':
      return { status: next, snoozedUntil: event.until, answeredAt: at };
    case 'taken':
    case 'skipped':
      return { status: next, answeredAt: at };
    case 'unconfirmed':
      return { status: next };
  }
}

/** A missed dose counts towards escalation: no answer in time, or skipped. */
export const isMissed = (status: DoseStatus): boolean => status === 'unconfirmed' || status === 'skipped';
