/**
 * Runs `work` over the items, at most `limit` at a time; resolves when all are done (rejects on the first failure).
 * Once `signal` is aborted no further item is started: it resolves when the items in flight are done.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
