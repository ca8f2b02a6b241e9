import type { Page, PageRequest } from '../common.js';
import type { MediaRef, Message, MessageChannel, MessageStatus } from './types.js';

/**
 * The conversation log. Inserts are idempotent by id; status only moves forward. Beside it, two small
 * collections hold only unfinished work (pending turns, unsettled sends), so that what recovery scans stays
 * small however long the log grows, and one collection of claims decides who does each piece of that work.
 */
export interface MessageLog {
  /** Inserts; returns false when a message with this id already exists (a replay or a retry). */
  insert(message: Message): Promise<boolean>;
  /** Inserts many in one command; returns the ids inserted (the others exist already). */
  insertMany(messages: readonly Message[]): Promise<Set<string>>;
  /** Records the provider's id on messages just sent, in bulk (ids only: no status, so nothing moves back). */
  setProviderIds(sent: readonly { id: string; providerId: string }[]): Promise<void>;
  get(id: string): Promise<Message | undefined>;
  /** Sets fields on a message; with `status`, only when it ranks above the stored status. */
  update(id: string, changes: Partial<Pick<Message, 'status' | 'statusRank' | 'providerId' | 'errorCode' | 'patientId' | 'answeredAt'>>): Promise<Message | undefined>;
  forPatient(patientId: string, page: PageRequest): Promise<Page<Message>>;
  /** Which of these provider ids are recorded on a message other than `exceptId` (one query; used only to settle a crash). */
  providerIdsTaken(providerIds: string[], exceptId: string): Promise<Set<string>>;
  turns: PendingTurns;
  outbox: Outbox;
  claims: Claims;
}

/** An inbound message whose bot turn has not completed, with what its turn needs (so recovery reads nothing else). */
export interface PendingTurn {
  messageId: string;
  channel: 'sms' | 'webchat';
  address: string;
  providerMessageId: string;
  text: string;
  media: MediaRef[];
  linkedPatientId?: string;
  createdAt: Date;
  /** The latest claim on the turn (0: the one its recording holds) and when its lease ends. A hint: claims decide. */
  claim: number;
  leaseUntil: Date;
}

/** Inbound messages whose turn has not completed; removed when it completes. */
export interface PendingTurns {
  /** Inserts; false when the message has a pending turn already. The inserter holds claim 0 until `leaseUntil`. */
  open(turn: PendingTurn): Promise<boolean>;
  get(messageId: string): Promise<PendingTurn | undefined>;
  /** Up to `limit` pending turns whose lease has ended by `now`, oldest first (one query). */
  due(now: Date, limit: number): Promise<PendingTurn[]>;
  /** Records the claim just taken, so the next sweep skips the turn until its lease ends. */
  claimed(messageId: string, claim: number, leaseUntil: Date): Promise<void>;
  close(messageId: string): Promise<void>;
}

/** A recorded outbound message whose delivery is not settled: in flight, or waiting for its next attempt. */
export interface PendingSend {
  messageId: string;
  channel: MessageChannel;
  /** Provider attempts started so far. */
  attempt: number;
  /** When a sweep looks at it: the next attempt, or when an attempt still unsettled counts as lost. */
  dueAt: Date;
  /** The last attempt may have reached the provider (a crash or no answer during the call): ask before resending. */
  outcomeUnknown: boolean;
  createdAt: Date;
}

/** Unsettled sends; removed once the provider's answer (or the final failure) is recorded on the message. */
export interface Outbox {
  /** Inserts; false when the message has an entry already. */
  add(send: PendingSend): Promise<boolean>;
  /** Inserts many in one command; entries that exist already are left as they are. */
  addMany(sends: readonly PendingSend[]): Promise<void>;
  get(messageId: string): Promise<PendingSend | undefined>;
  /** Up to `limit` entries due by `now`, earliest first (one query). */
  due(now: Date, limit: number): Promise<PendingSend[]>;
  update(messageId: string, changes: Partial<Pick<PendingSend, 'attempt' | 'dueAt' | 'outcomeUnknown'>>): Promise<void>;
  remove(messageId: string): Promise<void>;
  /** Removes many in one command. */
  removeMany(messageIds: readonly string[]): Promise<void>;
}

/**
 * Exactly-once hand-over by insert, under a unique `_id`, so it holds across instances without transactions or
 * conditional updates. A piece of work has numbered claims `<key>#<n>`, each with a lease: the next number can
 * be taken once the lease of the one before has ended (its holder died or froze).
 */
export interface Claims {
  /**
   * Takes claim `from` of `key`, or the first later one whose predecessor's lease has ended, up to `max`.
   * @returns the number taken; `held` when a live claim stands in the way; `exhausted` past `max`.
   */
  take(key: string, from: number, max: number, now: Date, leaseUntil: Date): Promise<number | 'held' | 'exhausted'>;
  /** Claims `key` for `owner` for good: true for the first claim, and again for the same owner. */
  once(key: string, owner: string): Promise<boolean>;
  /** Forgets claims `<key>#<from>` to `<key>#<to>` (work finished, or a claim given back). */
  release(key: string, from: number, to: number): Promise<void>;
}

/**
 * A channel address (a phone number, a chat conversation): which patient it belongs to and whether it has
 * opted out. Keyed by `<channel>:<address>`, so every lookup is by _id.
 */
export interface ContactDirectory {
  get(channel: MessageChannel, address: string): Promise<{ patientId?: string; optedOut: boolean } | undefined>;
  /** Only the opt-out (one lookup): what every outbound message checks. */
  isOptedOut(channel: MessageChannel, address: string): Promise<boolean>;
  /** Which of these addresses opted out (a batch of proactive messages). */
  optedOutAmong(channel: MessageChannel, addresses: readonly string[]): Promise<Set<string>>;
  /** Records an opt-out or opt-in for the address, known patient or not. */
  setOptedOut(channel: MessageChannel, address: string, optedOut: boolean, at: Date): Promise<void>;
  /**
   * Claims the one confirmation of the address's current opt-out period (which ends at the next opt-in) for the
   * inbound message `messageId`: true for the first claim, and again for the same message (a re-run turn); false
   * for any other message. Decided by an insert under a unique key, so it holds across instances.
   */
  claimOptOutConfirmation(channel: MessageChannel, address: string, messageId: string): Promise<boolean>;
}

export type { MessageStatus };
