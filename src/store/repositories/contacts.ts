import type { MessageChannel } from '../../domain/messaging/types.js';
import type { ContactDirectory } from '../../domain/messaging/ports.js';
import { AppError } from '../../lib/errors.js';
import { isDuplicateKey } from '../duplicate.js';
import type { Models } from '../models.js';

const contactId = (channel: MessageChannel, address: string) => `${channel}:${address}`;

/**
 * Channel addresses: who a phone number belongs to, and whether it opted out. One document per address,
 * found by _id, so the inbound SMS path never scans. It also keeps a phone number unique among active
 * patients (a claim), which a partial unique index would do on MongoDB but FerretDB lacks.
 */
export class MongoContactDirectory implements ContactDirectory {
  constructor(private readonly models: Models) {}

  async get(channel: MessageChannel, address: string): Promise<{ patientId?: string; optedOut: boolean } | undefined> {
    const doc = await this.models.Contact.findById(contactId(channel, address)).lean();
    return doc ? { patientId: doc.patientId ?? undefined, optedOut: doc.optedOut } : undefined;
  }

  async setOptedOut(channel: MessageChannel, address: string, optedOut: boolean, at: Date): Promise<void> {
    await this.models.Contact.updateOne(
      { _id: contactId(channel, address) },
      { $set: { optedOut, ...(optedOut ? { optedOutAt: at } : {}) }, $setOnInsert: { channel, address } },
      { upsert: true },
    );
  }

  /** Gives the address to the patient; 409 when an active patient already holds it. */
  async claim(channel: MessageChannel, address: string, patientId: string): Promise<void> {
    const _id = contactId(channel, address);
    try {
      const result = await this.models.Contact.updateOne(
        { _id, patientId: null },
        { $set: { patientId }, $setOnInsert: { channel, address, optedOut: false } },
        { upsert: true },
      );
      if (result.matchedCount + result.upsertedCount === 1) return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw new Error('claiming a contact address', { cause: err });
    }
    const holder = await this.models.Contact.findById(_id).lean();
    if (holder?.patientId !== patientId) throw new AppError('conflict', 'an active patient already has this phone number');
  }

  /** Frees the address if this patient holds it (deactivation, a changed number). */
  async release(channel: MessageChannel, address: string, patientId: string): Promise<void> {
    await this.models.Contact.updateOne({ _id: contactId(channel, address), patientId }, { $unset: { patientId: 1 } });
  }
}
