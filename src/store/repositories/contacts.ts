import type { MessageChannel } from '../../domain/messaging/types.js';
import type { ContactDirectory } from '../../domain/messaging/ports.js';
import { AppError } from '../../lib/errors.js';
import { isDuplicateKey, upsertById } from '../duplicate.js';
import { lookUpEach } from '../bulk.js';
import type { Models } from '../models.js';

const contactId = (channel: MessageChannel, address: string) => `${channel}:${address}`;

/**
 * Channel addresses: which active patient holds one (a claim), and whether it opted out (a contact). Both are
 * found by _id, so the inbound SMS path never scans. A claim is created by insert, never by a conditional
 * update: on FerretDB a conditional update is not atomic, while a unique _id is, so two enrollments racing
 * for one number cannot both win. This keeps numbers unique among active patients, which a partial unique
 * index would do on MongoDB.
 */
export class MongoContactDirectory implements ContactDirectory {
  constructor(private readonly models: Models) {}

  async get(channel: MessageChannel, address: string): Promise<{ patientId?: string; optedOut: boolean } | undefined> {
    const id = contactId(channel, address);
    const [contact, claim] = await Promise.all([this.models.Contact.findById(id).lean(), this.models.AddressClaim.findById(id).lean()]);
    if (!contact && !claim) return undefined;
    return { patientId: claim?.patientId, optedOut: contact?.optedOut ?? false };
  }

  async isOptedOut(channel: MessageChannel, address: string): Promise<boolean> {
    return (await this.models.Contact.findById(contactId(channel, address)).lean())?.optedOut ?? false;
  }

  async optedOutAmong(channel: MessageChannel, addresses: readonly string[]): Promise<Set<string>> {
    return new Set(await lookUpEach([...new Set(addresses)], async (address) => ((await this.isOptedOut(channel, address)) ? address : undefined)));
  }

  /** The active patient holding the address, if any (one lookup: the inbound SMS path). */
  async holder(channel: MessageChannel, address: string): Promise<string | undefined> {
    return (await this.models.AddressClaim.findById(contactId(channel, address)).lean())?.patientId;
  }

  async setOptedOut(channel: MessageChannel, address: string, optedOut: boolean, at: Date): Promise<void> {
    await upsertById(this.models.Contact, contactId(channel, address), {
      $set: { optedOut, ...(optedOut ? { optedOutAt: at } : {}) },
      // An opt-in starts a new opt-out period (two racing increments may count as one: still a new period).
      ...(optedOut ? {} : { $inc: { optIns: 1 } }),
      $setOnInsert: { channel, address },
    });
  }

  async claimOptOutConfirmation(channel: MessageChannel, address: string, messageId: string): Promise<boolean> {
    const id = contactId(channel, address);
    const period = (await this.models.Contact.findById(id).lean())?.optIns ?? 0;
    const _id = `${id}#${period}`;
    try {
      await this.models.OptOutConfirmation.create({ _id, messageId });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw new Error('claiming the opt-out confirmation', { cause: err });
      // The same STOP's turn running again (after a state conflict) keeps its claim.
      return (await this.models.OptOutConfirmation.findById(_id).lean())?.messageId === messageId;
    }
  }

  /** Gives the address to the patient; 409 when another active patient holds it. */
  async claim(channel: MessageChannel, address: string, patientId: string): Promise<void> {
    const _id = contactId(channel, address);
    try {
      await this.models.AddressClaim.create({ _id, patientId });
    } catch (err) {
      if (!isDuplicateKey(err)) throw new Error('claiming a contact address', { cause: err });
      const holder = await this.models.AddressClaim.findById(_id).lean();
      if (holder?.patientId !== patientId) throw new AppError('conflict', 'an active patient already has this phone number');
    }
  }

  /** Frees the address if this patient holds it (deactivation, a changed number). */
  async release(channel: MessageChannel, address: string, patientId: string): Promise<void> {
    await this.models.AddressClaim.deleteOne({ _id: contactId(channel, address), patientId });
  }
}
