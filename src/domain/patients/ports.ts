import type { Page, PageRequest } from '../common.js';
import type { Channel, ChannelConsent, ConsentRecord } from '../consent/consent.js';
import type { QuietHours } from '../messaging/quiet-hours.js';

/** A patient as stored. */
export interface Patient {
  id: string;
  name: string;
  phone: string;
  timeZone: string;
  language: string;
  dateOfBirth: string;
  careTeamId: string;
  consent: Partial<Record<Channel, ChannelConsent>>;
  /** Their own quiet hours; null or absent: the deployment's. */
  quietHours?: QuietHours | null;
  /**
   * When CareLoop last asked this patient about a dose by SMS (a reminder, a follow-up): their next SMS after it
   * is read as a dose answer first (after the safety interrupts). Set by the dose reminders only.
   */
  doseAskedAt?: Date;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewPatient = Omit<Patient, 'id' | 'createdAt' | 'updatedAt' | 'active' | 'doseAskedAt'>;

export interface PatientFilter {
  status: 'active' | 'inactive' | 'all';
  careTeamId?: string;
  phone?: string;
  name?: string;
}

/** Storage for patients. `create` and `update` throw AppError('conflict') when an active patient has the phone. */
export interface PatientRepository {
  create(patient: NewPatient): Promise<Patient>;
  get(id: string): Promise<Patient | undefined>;
  /** The patients with these ids, in no particular order (a batch of reminders). */
  getMany(ids: readonly string[]): Promise<Patient[]>;
  /** Records that these patients were just asked about a dose (bulk updates). */
  markDoseAsked(ids: readonly string[], at: Date): Promise<void>;
  /** The active patient holding this phone number (a lookup by _id, not a scan). */
  findByPhone(phone: string): Promise<Patient | undefined>;
  update(id: string, changes: Partial<NewPatient>): Promise<Patient | undefined>;
  setActive(id: string, active: boolean): Promise<Patient | undefined>;
  list(filter: PatientFilter, page: PageRequest): Promise<Page<Patient>>;
}

/** Append-only history of consent decisions. */
export interface ConsentLog {
  append(records: ConsentRecord[]): Promise<void>;
  history(patientId: string): Promise<ConsentRecord[]>;
}

/**
 * Where a patient last wrote on a channel without a fixed address (web chat), so CareLoop can write to them first.
 * SMS needs none: the enrolled number is the address.
 */
export interface ChannelAddressBook {
  get(patientId: string, channel: 'webchat'): Promise<string | undefined>;
  remember(patientId: string, channel: 'webchat', address: string): Promise<void>;
}
