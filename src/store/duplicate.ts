/**
 * True when a write failed on a unique index. MongoDB says E11000 (code 11000); FerretDB 1.24 on SQLite says so
 * for inserts but answers a unique violation inside an update with InternalError (code 1) and SQLite's
 * "UNIQUE constraint failed", so both are recognised here and nowhere else.
 */
export function isDuplicateKey(err: unknown): boolean {
  const { code, message } = err as { code?: number; message?: string };
  return code === 11000 || (code === 1 && /UNIQUE constraint failed|duplicate key/.test(message ?? ''));
}
