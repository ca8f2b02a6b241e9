import { Schema, type Connection, type Model } from 'mongoose';
import type {
  AppendResult,
  DirectLineActivity,
  DirectLineConversation,
  DirectLineStore,
  NewDirectLineActivity,
} from '../../domain/webchat/directline.js';
import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { isDuplicateKey } from '../duplicate.js';

interface ConversationDoc {
  _id: string;
  patientId?: string;
  watermark: number;
  createdAt: Date;
  updatedAt: Date;
}

interface ActivityDoc {
  _id: string;
  conversationId: string;
  watermark: number;
  at: Date;
  activity: DirectLineActivity;
}

/** Direct Line's own id format, `<conversationId>|0000042`: the watermark is readable and sorts as text. */
export const activityId = (conversationId: string, watermark: number): string => `${conversationId}|${String(watermark).padStart(7, '0')}`;

/** How many activities a client far behind gets at once, and how far back a new client starts. */
const KEEP = 100;
/** Conversations this process has seen exist: a poll for one of them is a single `_id` lookup. */
const KNOWN_LIMIT = 10_000;
/** Duplicates in a row before giving up: only a hint far behind the activities could cause this many. */
const MAX_CLAIMS = 1_000;

/**
 * Direct Line conversations on MongoDB and on FerretDB 1.24, where updates are read-modify-write and NOT atomic:
 * measured here, 30 concurrent `$inc` on one document left 9, an optimistic `{ _id, version }` check let 30
 * appends all "succeed" and kept 6, and `$push` ignores `$slice` without an error. A unique insert is the one
 * thing that holds, so each activity is its own document whose `_id` is `<conversationId>|<watermark>`: an
 * appender claims the next watermark by inserting it and moves on when the key is taken. Watermarks are
 * therefore dense (1, 2, 3 ...), and a reader walks them by `_id`. The conversation document keeps the
 * patient, times for retention, and `watermark`, a hint that may lag but never runs ahead of the activities.
 */
export class MongoDirectLineStore implements DirectLineStore {
  private readonly conversations: Model<ConversationDoc>;
  private readonly activities: Model<ActivityDoc>;
  /** conversationId -> highest watermark this process has seen; bounded, oldest dropped first. */
  private readonly known = new Map<string, number>();

  constructor(connection: Connection, private readonly clock: Clock) {
    // Models are defined once per connection (a second store on it reuses them, stamped by the first one's clock).
    this.conversations = (connection.models.DirectLineConversation as Model<ConversationDoc> | undefined) ?? connection.model<ConversationDoc>(
      'DirectLineConversation',
      new Schema<ConversationDoc>(
        { _id: { type: String, required: true }, patientId: String, watermark: { type: Number, required: true, default: 0 } },
        { collection: 'directlineconversations', versionKey: false, timestamps: { currentTime: () => clock.now() } },
      ),
    );
    this.activities = (connection.models.DirectLineActivity as Model<ActivityDoc> | undefined) ?? connection.model<ActivityDoc>(
      'DirectLineActivity',
      new Schema<ActivityDoc>(
        {
          _id: { type: String, required: true },
          conversationId: { type: String, required: true },
          watermark: { type: Number, required: true },
          at: { type: Date, required: true },
          activity: { type: Schema.Types.Mixed, required: true },
        },
        { collection: 'directlineactivities', versionKey: false, minimize: false },
      ),
    );
  }

  async create(conversationId: string, patientId?: string): Promise<boolean> {
    try {
      await this.conversations.create({ _id: conversationId, patientId, watermark: 0 });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw new Error('creating direct line conversation', { cause: err });
    }
    this.remember(conversationId, 0);
    return true;
  }

  async get(conversationId: string): Promise<DirectLineConversation | undefined> {
    const doc = (await this.conversations.findById(conversationId).lean()) as ConversationDoc | null;
    if (!doc) return undefined;
    this.remember(conversationId, doc.watermark);
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  async append(conversationId: string, activity: NewDirectLineActivity): Promise<AppendResult> {
    const hint = await this.hint(conversationId);
    if (hint === undefined) throw notFound('conversation');
    const at = this.clock.now();
    for (let watermark = hint + 1; watermark <= hint + MAX_CLAIMS; watermark++) {
      const id = activityId(conversationId, watermark);
      // Through JSON: absent fields stay absent (BSON would store an `undefined` as null) and only JSON is kept.
      const stored = JSON.parse(JSON.stringify({ ...activity, id, timestamp: at.toISOString(), channelId: 'directline', conversation: { id: conversationId } })) as DirectLineActivity;
      try {
        await this.activities.create({ _id: id, conversationId, watermark, at, activity: stored });
      } catch (err) {
        if (isDuplicateKey(err)) continue; // another appender holds this watermark: take the next one
        throw new Error('appending direct line activity', { cause: err });
      }
      this.remember(conversationId, watermark);
      // Only a hint: a lost or late update costs a later appender one extra duplicate, never an activity.
      await this.conversations.updateOne({ _id: conversationId }, { $max: { watermark } });
      return { id, watermark, activity: stored };
    }
    throw new Error(`appending direct line activity: ${MAX_CLAIMS} watermarks after the hint were all taken`);
  }

  async since(conversationId: string, watermark: number): Promise<{ activities: DirectLineActivity[]; watermark: number } | undefined> {
    let next = watermark + 1;
    // A poll on a conversation we know costs one lookup: the next activity. A new client (watermark 0), or a
    // conversation this process has not seen, also reads the header to learn it exists and where to start.
    if (watermark === 0 || !this.known.has(conversationId)) {
      const conversation = await this.get(conversationId);
      if (!conversation) return undefined;
      next = Math.max(next, conversation.watermark - KEEP + 1);
    }
    const activities: DirectLineActivity[] = [];
    while (activities.length < KEEP) {
      // Watermarks are dense, so the first missing one is the end; one `_id` lookup each, no scan.
      const doc = (await this.activities.findById(activityId(conversationId, next)).lean()) as ActivityDoc | null;
      if (!doc) break;
      activities.push(doc.activity);
      next++;
    }
    if (activities.length) this.remember(conversationId, next - 1);
    return { activities, watermark: Math.max(watermark, next - 1) };
  }

  private async hint(conversationId: string): Promise<number | undefined> {
    const doc = (await this.conversations.findById(conversationId).lean()) as ConversationDoc | null;
    if (!doc) return undefined;
    return Math.max(doc.watermark, this.known.get(conversationId) ?? 0);
  }

  private remember(conversationId: string, watermark: number): void {
    const seen = Math.max(watermark, this.known.get(conversationId) ?? 0);
    this.known.delete(conversationId); // re-insert: the Map's order is then least recently used first
    this.known.set(conversationId, seen);
    if (this.known.size > KNOWN_LIMIT) this.known.delete(this.known.keys().next().value as string);
  }
}
