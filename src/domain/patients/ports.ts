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
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewPatient = Omit<Patient, 'id' | 'createdAt' | 'updatedAt' | 'active'>;

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
