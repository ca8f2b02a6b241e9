/**
 * True when a write failed on a unique index. MongoDB says E11000 (code 11000); FerretDB 1.24 on SQLite says so
 * for inserts but answers a unique violation inside an update with InternalError (code 1) and SQLite's
 * "UNIQUE constraint failed", so both are recognised here and nowhere else.
 */
export function isDuplicateKey(err: unknown): boolean {
  const { code, message } = err as { code?: number; message?: string };
  return code === 11000 || (code === 1 && /UNIQUE constraint failed|duplicate key/.test(message ?? ''));
}

/**
 * An upsert by _id that tolerates a racing first insert: two upserts creating one document at once can fail
 * with a duplicate key (on MongoDB too); the document exists then, so the update is applied to it.
 */
export async function upsertById(
  model: { updateOne(filter: { _id: string }, update: Record<string, unknown>, options?: { upsert: boolean }): PromiseLike<unknown> },
  _id: string,
  update: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne({ _id }, update, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await model.updateOne({ _id }, update);
  }
}

/** Inserts a document under its `_id`; false when one exists (the duplicate decides, not a prior read). */
export async function insertOnce(model: { create(doc: object): Promise<unknown> }, doc: object, what: string): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw new Error(what, { cause: err });
  }
}
