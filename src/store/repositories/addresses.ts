import type { ChannelAddressBook } from '../../domain/patients/ports.js';
import { upsertById } from '../duplicate.js';
import type { Models } from '../models.js';

/** What is stored for `<patientId>:<channel>`: JSON, so the reference can grow without a migration. */
interface StoredReference {
  address: string;
}

/** Where patients last wrote on web chat; one document per patient and channel, every access by _id. */
export class MongoChannelAddressBook implements ChannelAddressBook {
  constructor(private readonly models: Models) {}

  async get(patientId: string, channel: 'webchat'): Promise<string | undefined> {
    const stored = await this.models.ConversationRef.findById(`${patientId}:${channel}`).lean();
    return stored ? (JSON.parse(stored.reference) as StoredReference).address : undefined;
  }

  async remember(patientId: string, channel: 'webchat', address: string): Promise<void> {
    const reference: StoredReference = { address };
    await upsertById(this.models.ConversationRef, `${patientId}:${channel}`, { $set: { reference: JSON.stringify(reference) } });
  }
}
