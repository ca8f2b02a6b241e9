import type { Storage, StoreItems } from 'botbuilder';
import { ETagConflictError } from '../lib/errors.js';
import { isDuplicateKey, upsertById } from './duplicate.js';
import { flowSince } from '../lib/conversation-state.js';
import { lookUpEach } from './bulk.js';
import type { Models } from './models.js';

const versionId = (key: string, version: number) => `${key}#${version}`;
/** Versions older than the last two lose their state but keep their _id, so nobody can write them again. */
const KEEP_STATE = 2;
/** Far older versions are deleted: an eTag this stale cannot come from a turn still running. */
const KEEP_IDS = 50;
const MAX_READ_RESTARTS = 5;

interface VersionDoc {
  _id: string;
  data: string | null;
  /** Kept only to hold its _id; its state is gone. */
  emptied?: boolean;
}

/**
 * botbuilder Storage on MongoDB with optimistic concurrency that holds on FerretDB too, where a conditional
 * update is not atomic (two `{ _id, eTag }` updates racing both report success; measured). Every write
 * therefore INSERTS a new version `<key>#<n>`: the unique _id lets exactly one writer create version n+1, so
 * a second writer holding the same eTag (n) gets a duplicate key, i.e. a detected conflict, never a silent
 * loss. A small pointer document `<key>` remembers the latest version as a hint (it may lag; readers step
 * forward from it). Old versions are emptied but keep their _id (a deleted one could be inserted again by a
 * stale writer, which would lose a write silently), and only very old ones are deleted. State is kept as a
 * JSON string, since botbuilder keys may hold `$` and `.`. Every operation is by _id or an insert.
 */
export class MongoStorage implements Storage {
  constructor(private readonly models: Models) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const latest = await this.latest(key);
        if (latest?.data) items[key] = { ...(JSON.parse(latest.data) as object), eTag: String(latest.version) };
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...state } = item as Record<string, unknown> & { eTag?: string };
        await this.writeVersion(key, JSON.stringify(state), eTag, flowSince(state));
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    // A tombstone version: reads see nothing, and a write holding an older eTag still conflicts.
    await Promise.all(keys.map((key) => this.writeVersion(key, null, undefined, null)));
  }

  /**
   * Of these storage keys, those whose conversation has a flow open (a dialog waiting for the patient's answer),
   * with when the patient last wrote in it, read from the pointers (no version read): a hint like the version
   * they hold, enough to decide whether a reminder should wait.
   */
  async openFlows(keys: readonly string[]): Promise<Map<string, Date>> {
    const open = await lookUpEach(keys, async (key) => {
      const doc = (await this.models.BotState.findById(key, { flowSince: 1 }).lean()) as { flowSince?: Date | null } | null;
      return doc?.flowSince ? ([key, doc.flowSince] as const) : undefined;
    });
    return new Map(open);
  }

  private async writeVersion(key: string, data: string | null, eTag: string | undefined, flow: Date | null): Promise<void> {
    const unconditional = eTag === undefined || eTag === '*';
    for (;;) {
      const base = unconditional ? ((await this.latest(key))?.version ?? 0) : Number(eTag);
      if (!Number.isInteger(base) || base < 0) throw new ETagConflictError(key);
      const created = await this.insertVersion(key, base + 1, data);
      if (created) {
        await this.afterWrite(key, base + 1, flow);
        return;
      }
      if (!unconditional) throw new ETagConflictError(key);
      // Unconditional: last writer wins, so step past whoever got there first.
    }
  }

  /** True when this writer created the version; false when it exists or existed (a conflict). */
  private async insertVersion(key: string, version: number, data: string | null): Promise<boolean> {
    try {
      await this.models.BotStateVersion.create({ _id: versionId(key, version), data });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw new Error('writing bot state', { cause: err });
    }
    // A version older than the hint was deleted long ago and just re-created by a very stale writer.
    const hint = await this.hint(key);
    if (hint < version) return true;
    await this.models.BotStateVersion.deleteOne({ _id: versionId(key, version) });
    return false;
  }

  private async afterWrite(key: string, version: number, flow: Date | null): Promise<void> {
    await upsertById(this.models.BotState, key, { $max: { version }, $set: { flowSince: flow } });
    if (version > KEEP_STATE) await this.models.BotStateVersion.updateOne({ _id: versionId(key, version - KEEP_STATE) }, { $set: { data: null, emptied: true } });
    if (version > KEEP_IDS) await this.models.BotStateVersion.deleteOne({ _id: versionId(key, version - KEEP_IDS) });
  }

  /** The latest version the pointer remembers (it may lag behind the newest). */
  private async hint(key: string): Promise<number> {
    return ((await this.models.BotState.findById(key).lean()) as { version?: number } | null)?.version ?? 0;
  }

  /** The newest version: from the hint, step forward until a version is missing. */
  private async latest(key: string): Promise<{ version: number; data: string | null } | undefined> {
    for (let attempt = 0; attempt < MAX_READ_RESTARTS; attempt++) {
      const hint = await this.hint(key);
      let version = hint;
      let doc = hint > 0 ? ((await this.models.BotStateVersion.findById(versionId(key, hint)).lean()) as VersionDoc | null) : null;
      if (hint > 0 && !doc) continue; // pruned under us: the hint has moved on since, read it again
      for (;;) {
        const next = (await this.models.BotStateVersion.findById(versionId(key, version + 1)).lean()) as VersionDoc | null;
        if (!next) break;
        doc = next;
        version += 1;
      }
      if (doc?.emptied) continue; // read in the middle of a newer write: read again
      return doc ? { version, data: doc.data } : undefined;
    }
    throw new Error('bot state kept changing while being read');
  }
}
