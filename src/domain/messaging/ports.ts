import type { Page, PageRequest } from '../common.js';
import type { Message, MessageChannel, MessageStatus } from './types.js';

/** The conversation log. Inserts are idempotent by id; status only moves forward. */
export interface MessageLog {
  /** Inserts; returns false when a message with this id already exists (a replay or a retry). */
  insert(message: Message): Promise<boolean>;
  get(id: string): Promise<Message | undefined>;
  /** Sets fields on a message; with `status`, only when it ranks above the stored status. */
  update(id: string, changes: Partial<Pick<Message, 'status' | 'statusRank' | 'providerId' | 'errorCode' | 'patientId'>>): Promise<Message | undefined>;
  forPatient(patientId: string, page: PageRequest): Promise<Page<Message>>;
}

/**
 * A channel address (a phone number, a chat conversation): which patient it belongs to and whether it has
 * opted out. Keyed by `<channel>:<address>`, so every lookup is by _id.
 */
export interface ContactDirectory {
  get(channel: MessageChannel, address: string): Promise<{ patientId?: string; optedOut: boolean } | undefined>;
  /** Only the opt-out (one lookup): what every outbound message checks. */
  isOptedOut(channel: MessageChannel, address: string): Promise<boolean>;
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
