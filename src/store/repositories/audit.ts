import { GENESIS_HASH, sealEvent, verifyChain, type AuditEntry, type AuditEvent, type ExportedHead, type VerifyResult } from '../../domain/audit/chain.js';
import type { AuditKeyring } from '../../domain/audit/keys.js';
import type { AuditLog } from '../../domain/audit/ports.js';
import { isDuplicateKey } from '../duplicate.js';
import { trusted, type Models } from '../models.js';

const HEAD_ID = 'audit';
type AuditDoc = Omit<AuditEvent, 'seq'> & { _id: number };

const toEvent = ({ _id, ...rest }: AuditDoc): AuditEvent => {
  const event = { seq: _id, ...rest } as AuditEvent & { resource?: { type?: string } };
  if (event.resource && !event.resource.type) delete event.resource; // mongoose returns {} for an unset subdocument
  return event;
};

/**
 * The audit chain on MongoDB without transactions. Every event is signed with the keyring's current key,
 * which lives outside the database (AUDIT_KEY or a key file): rewriting an event and every hash after it
 * is not enough to pass `verify` without that key. Each event's _id is its sequence number, so a unique
 * insert decides who appends at a position: a duplicate key means another process got there first, and we
 * move forward by _id lookups (fast on every backend). A head document (`auditheads`) remembers the last
 * position so appends never scan the growing collection, and lets `verify` notice events cut from the end.
 */
export class MongoAuditLog implements AuditLog {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly models: Models,
    private readonly keys: AuditKeyring,
  ) {}

  append(entry: AuditEntry): Promise<AuditEvent> {
    // Serialise appends in this process; other processes are handled by the unique _id.
    const next = this.queue.then(() => this.appendNow(entry));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async appendNow(entry: AuditEntry): Promise<AuditEvent> {
    let head = (await this.head()) ?? { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const event = sealEvent(entry, head, this.keys);
      try {
        const { seq, ...rest } = event;
        await this.models.AuditEvent.create({ _id: seq, ...rest });
      } catch (err) {
        if (!isDuplicateKey(err)) throw new Error('appending audit event', { cause: err });
        const taken = (await this.models.AuditEvent.findById(event.seq).lean()) as AuditDoc | null;
        if (!taken) throw new Error('audit sequence conflict without an event', { cause: err });
        head = { seq: taken._id, hash: taken.hash };
        continue;
      }
      await this.advanceHead(event);
      return event;
    }
  }

  private async advanceHead(event: AuditEvent): Promise<void> {
    try {
      await this.models.AuditHead.updateOne(
        { _id: HEAD_ID, seq: trusted({ $lt: event.seq }) },
        { $set: { seq: event.seq, hash: event.hash } },
        { upsert: true },
      );
    } catch (err) {
      // Upsert raced with a head already further on: that head is right, nothing to do.
      if (!isDuplicateKey(err)) throw new Error('advancing audit head', { cause: err });
    }
  }

  async head(): Promise<{ seq: number; hash: string } | undefined> {
    const doc = await this.models.AuditHead.findById(HEAD_ID).lean();
    return doc ? { seq: doc.seq, hash: doc.hash } : undefined;
  }

  async verify(exported?: ExportedHead): Promise<VerifyResult> {
    return verifyChain(this.events(), await this.head(), { keys: this.keys, exported });
  }

  async *events(): AsyncIterable<AuditEvent> {
    // Batches by _id range: bounded memory for a long chain.
    let after = 0;
    for (;;) {
      const docs = (await this.models.AuditEvent.find({ _id: trusted({ $gt: after }) }).sort({ _id: 1 }).limit(1000).lean()) as AuditDoc[];
      for (const doc of docs) yield toEvent(doc);
      if (docs.length < 1000) return;
      after = docs.at(-1)!._id;
    }
  }

  async list(page: { limit: number; afterSeq?: number; patientId?: string }): Promise<AuditEvent[]> {
    const filter: Record<string, unknown> = {};
    if (page.afterSeq) filter._id = trusted({ $gt: page.afterSeq });
    if (page.patientId) filter.patientIds = page.patientId;
    const docs = (await this.models.AuditEvent.find(filter).sort({ _id: 1 }).limit(page.limit).lean()) as AuditDoc[];
    return docs.map(toEvent);
  }
}
