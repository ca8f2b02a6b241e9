import type { Model } from 'mongoose';
import type { Page, PageRequest } from '../domain/common.js';
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
 * Newest first, for logs read by people (messages, alerts): the cursor is the createdAt of the last item
 * seen, since these ids are not ordered in time.
 */
export async function findNewestFirst<Doc, View extends { createdAt: Date }>(
  model: Model<Doc>,
  filter: Record<string, unknown>,
  page: PageRequest,
  toView: (doc: Doc) => View,
): Promise<Page<View>> {
  const query = page.cursor ? { ...filter, createdAt: trusted({ $lt: new Date(page.cursor) }) } : filter;
  const docs = (await model.find(query).sort({ createdAt: -1, _id: -1 }).limit(page.limit + 1).lean()) as Doc[];
  const items = docs.slice(0, page.limit).map(toView);
  return { items, nextCursor: docs.length > page.limit ? items.at(-1)!.createdAt.toISOString() : null };
}
