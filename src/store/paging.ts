import type { Model } from 'mongoose';
import { decodeTimeCursor, encodeTimeCursor, type Page, type PageRequest } from '../domain/common.js';
import { AppError } from '../lib/errors.js';
import { trusted } from './models.js';

/** Keyset pagination by _id: stable under inserts, and no skip (which scans on every database). */
export async function findPage<Doc, View>(
  model: Model<Doc>,
  filter: Record<string, unknown>,
  page: PageRequest,
  toView: (doc: Doc) => View,
): Promise<Page<View>> {
  const query = page.cursor ? { ...filter, _id: trusted({ $gt: page.cursor }) } : filter;
  const docs = (await model.find(query).sort({ _id: 1 }).limit(page.limit + 1).lean()) as Doc[];
  const items = docs.slice(0, page.limit);
  const last = items.at(-1) as { _id: unknown } | undefined;
  return { items: items.map(toView), nextCursor: docs.length > page.limit && last ? String(last._id) : null };
}

/** `status` filter shared by every list. */
export function statusFilter(status: 'active' | 'inactive' | 'all'): Record<string, unknown> {
  return status === 'all' ? {} : { active: status === 'active' };
}

/** Strips mongoose's _id/__v, exposing `id`. */
export function withId<T extends { _id: unknown }>(doc: T): Omit<T, '_id' | '__v'> & { id: string } {
  const { _id, __v: _v, ...rest } = doc as T & { __v?: unknown };
  return { id: String(_id), ...rest };
}

/**
 * Newest first, for logs read by people (messages, alerts). These ids are not ordered in time and many rows
 * share a createdAt, so the order is (createdAt, _id) descending and the cursor names both: every row once.
 */
export async function findNewestFirst<Doc, View extends { id: string; createdAt: Date }>(
  model: Model<Doc>,
  filter: Record<string, unknown>,
  page: PageRequest,
  toView: (doc: Doc) => View,
): Promise<Page<View>> {
  const docs = (await model.find({ ...filter, ...olderThan(page.cursor) }).sort({ createdAt: -1, _id: -1 }).limit(page.limit + 1).lean()) as Doc[];
  const items = docs.slice(0, page.limit).map(toView);
  const last = items.at(-1);
  return { items, nextCursor: docs.length > page.limit && last ? encodeTimeCursor(last) : null };
}

/** The rows after a cursor in (createdAt, _id) descending order; the filters it joins have no $or of their own. */
function olderThan(cursor: string | undefined): Record<string, unknown> {
  if (cursor === undefined) return {};
  const position = decodeTimeCursor(cursor);
  // Routes validate the cursor; this guards every other caller from a silent first page.
  if (!position) throw new AppError('bad_request', 'invalid cursor: expected the nextCursor of the previous page');
  const { createdAt, id } = position;
  return { $or: [{ createdAt: trusted({ $lt: createdAt }) }, { createdAt, _id: trusted({ $lt: id }) }] };
}
