/**
 * Storage ports of post-op check-ins (src/store/repositories/postop.ts implements them). Every read a hot path
 * makes is by `_id` (the one cheap lookup on FerretDB); exactly-once decisions are inserts under a unique `_id`.
 */
import type { MediaRef } from '../messaging/types.js';
import type { AnswerValue } from './answers.js';
import type { PostopFacts } from './facts.js';
import type { Protocol } from './protocol.js';
import type { RedFlagLevel } from './red-flags.js';

/** One stored version of a protocol: never changed once stored, so check-ins can keep pointing at it. */
export interface StoredProtocol {
  protocol: Protocol;
  /** Who stored it: an API key id, or `careloop` for the shipped default. */
  createdBy: string;
  createdAt: Date;
}

export interface ProtocolRepository {
  /** Stores one version under `<id>@<version>`; false when that version exists (a race or a repeat). */
  insert(protocol: Protocol, createdBy: string, at: Date): Promise<boolean>;
  get(id: string, version: number): Promise<StoredProtocol | undefined>;
  /** Every version of one protocol, oldest first. */
  versions(id: string): Promise<StoredProtocol[]>;
  /** Every version of every protocol (an admin read: protocols are few). */
  all(): Promise<StoredProtocol[]>;
}

/** The channel a patient's check-ins go out on. */
export type CheckInChannel = 'sms' | 'webchat';

/** A patient enrolled for post-op check-ins after one operation. */
export interface Enrolment {
  id: string;
  patientId: string;
  /** What operation (shown to staff only: never in a text to the patient, never in logs). */
  procedure: string;
  /** The patient's local date of the operation, YYYY-MM-DD (day 0). */
  surgeryDate: string;
  /** The protocol version this enrolment follows, fixed when it was made. */
  protocolId: string;
  protocolVersion: number;
  channel: CheckInChannel;
  createdAt: Date;
  updatedAt: Date;
  endedAt?: Date;
}

export type NewEnrolment = Omit<Enrolment, 'id' | 'createdAt' | 'updatedAt' | 'endedAt'>;

export interface EnrolmentRepository {
  /**
   * Records the enrolment as the patient's active one. The active hold is an insert under the patient id, so of
   * two enrolments racing one wins; `already_enrolled` when the patient has one.
   */
  create(enrolment: NewEnrolment, at: Date): Promise<Enrolment | 'already_enrolled'>;
  get(id: string): Promise<Enrolment | undefined>;
  /** The patient's active enrolment, if any (two lookups by _id). */
  active(patientId: string): Promise<Enrolment | undefined>;
  update(id: string, fields: Partial<Pick<Enrolment, 'surgeryDate' | 'procedure'>>, at: Date): Promise<Enrolment | undefined>;
  /** Ends it now and releases the patient's active hold. */
  end(id: string, at: Date): Promise<Enrolment | undefined>;
}

/** One answer to one question, as the patient wrote it and as it was read. */
export interface CheckInAnswer {
  questionId: string;
  /** The question as it was asked. */
  question: string;
  /** The patient's reply, raw. */
  text: string;
  status: 'answered' | 'unclear' | 'red_flag';
  value?: AnswerValue;
  facts: PostopFacts;
  /** Photos sent with the answer (MMS, web chat), as references: the bytes stay with the provider. */
  media?: MediaRef[];
  at: Date;
}

export type CheckInStatus = 'sent' | 'in_progress' | 'completed' | 'red_flag' | 'missed' | 'incomplete';

/** One check-in sent: `postop:<enrolmentId>:d<day>`, with the protocol version it was sent with. */
export interface CheckInRecord {
  id: string;
  enrolmentId: string;
  patientId: string;
  day: number;
  localDate: string;
  protocolId: string;
  protocolVersion: number;
  channel: CheckInChannel;
  status: CheckInStatus;
  sentAt: Date;
  remindedAt?: Date;
  finishedAt?: Date;
  answers: CheckInAnswer[];
  /** The facts of every answer merged (the more worrying reading wins). */
  facts: PostopFacts;
  redFlags: { id: string; level: RedFlagLevel; because: string }[];
}

export type CheckInChanges = Partial<Pick<CheckInRecord, 'status' | 'remindedAt' | 'finishedAt' | 'facts' | 'redFlags'>>;

export interface CheckInRepository {
  /** Inserts the record under its id; false when it exists. */
  create(record: CheckInRecord): Promise<boolean>;
  get(id: string): Promise<CheckInRecord | undefined>;
  /** Sets the fields and appends the answer, by id (answers come one at a time through the conversation queue). */
  update(id: string, changes: CheckInChanges, answer?: CheckInAnswer): Promise<CheckInRecord | undefined>;
  /** The patient's check-ins, oldest first (an API read). */
  forPatient(patientId: string): Promise<CheckInRecord[]>;
}

/** The id of an enrolment's check-in on one protocol day: the gateway's idempotency key, so a day is asked once. */
export const checkInId = (enrolmentId: string, day: number): string => `postop:${enrolmentId}:d${day}`;
