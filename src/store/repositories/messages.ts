import type { Page, PageRequest } from '../../domain/common.js';
import type { MessageLog } from '../../domain/messaging/ports.js';
import type { Message } from '../../domain/messaging/types.js';
import { isDuplicateKey } from '../duplicate.js';
import type { Model } from 'mongoose';
import { trusted, type Models } from '../models.js';
import { findNewestFirst, withId } from '../paging.js';

type MessageDoc = Omit<Message, 'id'> & { _id: string };
const toMessage = (doc: MessageDoc): Message => withId(doc) as Message;

/** The conversation log. Every hot-path read and write is by _id (the message's idempotency key). */
export class MongoMessageLog implements MessageLog {
  constructor(private readonly models: Models) {}

  async insert(message: Message): Promise<boolean> {
    const { id, ...rest } = message;
    try {
      await this.models.Message.create({ _id: id, ...rest });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw new Error('recording a message', { cause: err });
    }
  }

  async get(id: string): Promise<Message | undefined> {
    const doc = (await this.models.Message.findById(id).lean()) as MessageDoc | null;
    return doc ? toMessage(doc) : undefined;
  }

  async update(id: string, changes: Partial<Pick<Message, 'status' | 'statusRank' | 'providerId' | 'errorCode' | 'patientId'>>): Promise<Message | undefined> {
    // With a status, the filter makes the move forward-only and atomic: a late callback matches nothing.
    const filter = changes.statusRank === undefined ? { _id: id } : { _id: id, statusRank: trusted({ $lt: changes.statusRank }) };
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const doc = (await this.models.Message.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }).lean()) as MessageDoc | null;
    return doc ? toMessage(doc) : undefined;
  }

  forPatient(patientId: string, page: PageRequest): Promise<Page<Message>> {
    return findNewestFirst(this.models.Message as unknown as Model<MessageDoc>, { patientId }, page, toMessage);
  }
}
