import { forEachLimited } from '../lib/concurrency.js';

/**
 * Batch reads and writes shaped for FerretDB's cost model (ARCHITECTURE.md): a filter that is exactly
 * `{ _id: value }` is an index lookup, while `{ _id: { $in: [...] } }` scans the collection and compares every
 * document with every id, so a batch looks documents up one by one, a few at a time; updates go by _id in
 * bulkWrite commands kept small, since FerretDB holds a pool connection per operation until the command ends
 * and wedges with 50+ on PostgreSQL.
 */

/** Lookups by _id of one batch in flight at once: within the driver's pool (maxPoolSize on FerretDB). */
export const LOOKUPS_AT_ONCE = 8;
/** Operations per bulkWrite. */
export const BULK_OPERATIONS = 25;

/** Each id's document by `get` (one lookup by _id each, LOOKUPS_AT_ONCE at a time), those found, in no particular order. */
export async function lookUpEach<T>(ids: readonly string[], get: (id: string) => Promise<T | undefined>): Promise<T[]> {
  const found: T[] = [];
  await forEachLimited(ids, LOOKUPS_AT_ONCE, async (id) => {
    const doc = await get(id);
    if (doc !== undefined) found.push(doc);
  });
  return found;
}

type UpdateOp = { updateOne: { filter: { _id: string }; update: Record<string, unknown> } };
type DeleteOp = { deleteOne: { filter: { _id: string } } };
type BulkModel = { bulkWrite(ops: UpdateOp[] | DeleteOp[], options: { ordered: false }): PromiseLike<{ deletedCount: number }> };

/** `$set`s each document by _id, BULK_OPERATIONS per command. */
export async function bulkUpdateById(model: BulkModel, updates: readonly { id: string; set: Record<string, unknown> }[]): Promise<void> {
  for (let start = 0; start < updates.length; start += BULK_OPERATIONS) {
    const chunk = updates.slice(start, start + BULK_OPERATIONS);
    await model.bulkWrite(chunk.map(({ id, set }) => ({ updateOne: { filter: { _id: id }, update: { $set: set } } })), { ordered: false });
  }
}

/** Deletes each document by _id, BULK_OPERATIONS per command (a deleteMany by `$in` scans the collection); how many went. */
export async function bulkDeleteById(model: BulkModel, ids: readonly string[]): Promise<number> {
  let deleted = 0;
  for (let start = 0; start < ids.length; start += BULK_OPERATIONS) {
    const chunk = ids.slice(start, start + BULK_OPERATIONS);
    deleted += (await model.bulkWrite(chunk.map((id) => ({ deleteOne: { filter: { _id: id } } })), { ordered: false })).deletedCount;
  }
  return deleted;
}
