import type { Model } from 'mongoose';
import type { Page, PageRequest } from '../../domain/common.js';
import type { Claims, MessageLog, Outbox, PendingSend, PendingTurn, PendingTurns } from '../../domain/messaging/ports.js';
import type { Message } from '../../domain/messaging/types.js';
import { bulkUpdateById } from '../bulk.js';
import { insertNew, insertOnce } from '../duplicate.js';
import { trusted, type Models } from '../models.js';
import { findNewestFirst, withId } from '../paging.js';

type MessageDoc = Omit<Message, 'id'> & { _id: string };
type PendingTurnDoc = Omit<PendingTurn, 'messageId'> & { _id: string };
type PendingSendDoc = Omit<PendingSend, 'messageId'> & { _id: string };

const toMessage = (doc: MessageDoc): Message => withId(doc) as Message;
const toTurn = ({ _id, ...rest }: PendingTurnDoc): PendingTurn => ({ messageId: _id, ...rest });
const toSend = ({ _id, ...rest }: PendingSendDoc): PendingSend => ({ messageId: _id, ...rest });
const withoutUndefined = (changes: object) => Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));

/** The conversation log. Every hot-path read and write is by _id (the message's idempotency key). */
export class MongoMessageLog implements MessageLog {
  readonly turns: PendingTurns;
  readonly outbox: Outbox;
  readonly claims: Claims;

  constructor(private readonly models: Models) {
    this.turns = new MongoPendingTurns(models);
    this.outbox = new MongoOutbox(models);
    this.claims = new MongoClaims(models);
  }

  async insert(message: Message): Promise<boolean> {
    const { id, ...rest } = message;
    return insertOnce(this.models.Message, { _id: id, ...rest }, 'recording a message');
  }

  insertMany(messages: readonly Message[]): Promise<Set<string>> {
    return insertNew(this.models.Message, messages.map(({ id, ...rest }) => ({ _id: id, ...rest })), 'recording messages');
  }

  async setProviderIds(sent: readonly { id: string; providerId: string }[]): Promise<void> {
    await bulkUpdateById(this.models.Message, sent.map(({ id, providerId }) => ({ id, set: { providerId } })));
  }

  async get(id: string): Promise<Message | undefined> {
    const doc = (await this.models.Message.findById(id).lean()) as MessageDoc | null;
    return doc ? toMessage(doc) : undefined;
  }

  async update(id: string, changes: Parameters<MessageLog['update']>[1]): Promise<Message | undefined> {
    // With a status, the filter makes the move forward-only and atomic: a late callback matches nothing.
    const filter = changes.statusRank === undefined ? { _id: id } : { _id: id, statusRank: trusted({ $lt: changes.statusRank }) };
    const doc = (await this.models.Message.findOneAndUpdate(filter, { $set: withoutUndefined(changes) }, { returnDocument: 'after' }).lean()) as MessageDoc | null;
    return doc ? toMessage(doc) : undefined;
  }

  forPatient(patientId: string, page: PageRequest): Promise<Page<Message>> {
    return findNewestFirst(this.models.Message as unknown as Model<MessageDoc>, { patientId }, page, toMessage);
  }

  async providerIdsTaken(providerIds: string[], exceptId: string): Promise<Set<string>> {
    if (providerIds.length === 0) return new Set();
    const docs = await this.models.Message.find({ providerId: trusted({ $in: providerIds }) }, { _id: 1, providerId: 1 }).lean();
    return new Set(docs.filter((doc) => doc._id !== exceptId).map((doc) => String(doc.providerId)));
  }
}

class MongoPendingTurns implements PendingTurns {
  constructor(private readonly models: Models) {}

  open(turn: PendingTurn): Promise<boolean> {
    const { messageId, ...rest } = turn;
    return insertOnce(this.models.PendingTurn, { _id: messageId, ...rest }, 'recording a pending turn');
  }

  async get(messageId: string): Promise<PendingTurn | undefined> {
    const doc = (await this.models.PendingTurn.findById(messageId).lean()) as PendingTurnDoc | null;
    return doc ? toTurn(doc) : undefined;
  }

  async due(now: Date, limit: number): Promise<PendingTurn[]> {
    const docs = (await this.models.PendingTurn.find({ leaseUntil: trusted({ $lte: now }) }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean()) as PendingTurnDoc[];
    return docs.map(toTurn);
  }

  async claimed(messageId: string, claim: number, leaseUntil: Date): Promise<void> {
    await this.models.PendingTurn.updateOne({ _id: messageId }, { $set: { claim, leaseUntil } });
  }

  async close(messageId: string): Promise<void> {
    await this.models.PendingTurn.deleteOne({ _id: messageId });
  }
}

class MongoOutbox implements Outbox {
  constructor(private readonly models: Models) {}

  add(send: PendingSend): Promise<boolean> {
    const { messageId, ...rest } = send;
    return insertOnce(this.models.PendingSend, { _id: messageId, ...rest }, 'recording a pending send');
  }

  async get(messageId: string): Promise<PendingSend | undefined> {
    const doc = (await this.models.PendingSend.findById(messageId).lean()) as PendingSendDoc | null;
    return doc ? toSend(doc) : undefined;
  }

  async due(now: Date, limit: number): Promise<PendingSend[]> {
    const docs = (await this.models.PendingSend.find({ dueAt: trusted({ $lte: now }) }).sort({ dueAt: 1, _id: 1 }).limit(limit).lean()) as PendingSendDoc[];
    return docs.map(toSend);
  }

  async update(messageId: string, changes: Partial<Pick<PendingSend, 'attempt' | 'dueAt' | 'outcomeUnknown'>>): Promise<void> {
    await this.models.PendingSend.updateOne({ _id: messageId }, { $set: withoutUndefined(changes) });
  }

  async remove(messageId: string): Promise<void> {
    await this.models.PendingSend.deleteOne({ _id: messageId });
  }

  async addMany(sends: readonly PendingSend[]): Promise<void> {
    await insertNew(this.models.PendingSend, sends.map(({ messageId, ...rest }) => ({ _id: messageId, ...rest })), 'recording pending sends');
  }

  async removeMany(messageIds: readonly string[]): Promise<void> {
    // One $in: a scan of the outbox, which holds only unsettled sends.
    if (messageIds.length > 0) await this.models.PendingSend.deleteMany({ _id: trusted({ $in: [...messageIds] }) });
  }
}

class MongoClaims implements Claims {
  constructor(private readonly models: Models) {}

  async take(key: string, from: number, max: number, now: Date, leaseUntil: Date): Promise<number | 'held' | 'exhausted'> {
    for (let claim = from; claim <= max; claim++) {
      const _id = `${key}#${claim}`;
      if (await insertOnce(this.models.MessageClaim, { _id, leaseUntil }, 'claiming message work')) return claim;
      const holder = await this.models.MessageClaim.findById(_id).lean();
      // Gone since the insert failed: given back; a later sweep takes it.
      if (!holder || !holder.leaseUntil || holder.leaseUntil > now) return 'held';
    }
    return 'exhausted';
  }

  async once(key: string, owner: string): Promise<boolean> {
    if (await insertOnce(this.models.MessageClaim, { _id: key, owner }, 'claiming message work')) return true;
    return (await this.models.MessageClaim.findById(key).lean())?.owner === owner;
  }

  async release(key: string, from: number, to: number): Promise<void> {
    if (to < from) return;
    // By _id one at a time: a handful of claims at most, and each delete stays a lookup, never a scan.
    for (let claim = from; claim <= to; claim++) await this.models.MessageClaim.deleteOne({ _id: `${key}#${claim}` });
  }
}
