import type { OutreachStore } from '../../domain/outreach/ports.js';
import type { NewOutreachJob, OutreachJob, OutreachKind, OutreachResult } from '../../domain/outreach/types.js';
import type { Clock } from '../../lib/clock.js';
import { bulkDeleteById } from '../bulk.js';
import { insertNew } from '../duplicate.js';
import { trusted, type Models } from '../models.js';

type JobDoc = Omit<OutreachJob, 'key'> & { _id: string };

const toJob = ({ _id, ...rest }: JobDoc): OutreachJob => ({ ...rest, key: _id, payload: rest.payload ?? {} });
const claimId = (job: OutreachJob): string => `${job.key}#${job.attempts}`;
const keysIn = (jobs: OutreachJob[]) => trusted({ $in: jobs.map((job) => job.key) });
/** Inserts per command when scheduling many jobs: keeps each command small on FerretDB. */
const INSERT_CHUNK = 1_000;

/**
 * Outreach jobs on MongoDB-wire databases, in three collections: `outreachjobs` (live jobs only, so the scans
 * that FerretDB makes of it stay small), `outreachclaims` (one per attempt, `<key>#<attempt>`, decided by a
 * unique insert) and `outreachhistory` (finished jobs). Every method costs a constant number of queries per call.
 * The hot path (due, claim, complete as sent/skipped/failed/expired) only finds, inserts and deletes: FerretDB
 * runs an update as one transaction per matched document, so updates are kept to deferrals and takeovers.
 */
export class MongoOutreachStore implements OutreachStore {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async schedule(jobs: NewOutreachJob[]): Promise<{ scheduled: number; alreadyScheduled: number }> {
    let scheduled = 0;
    for (let start = 0; start < jobs.length; start += INSERT_CHUNK) {
      const now = this.clock.now();
      const docs = jobs.slice(start, start + INSERT_CHUNK).map((job) => ({
        _id: job.key, kind: job.kind, patientId: job.patientId, dueAt: job.dueAt, payload: job.payload, status: 'scheduled', attempts: 0, failures: 0, createdAt: now, updatedAt: now,
      }));
      scheduled += (await insertNew(this.models.OutreachJob, docs, 'scheduling outreach jobs')).size;
    }
    return { scheduled, alreadyScheduled: jobs.length - scheduled };
  }

  async due(now: Date, limit: number, kinds: readonly OutreachKind[], excludeKeys: string[] = []): Promise<OutreachJob[]> {
    const filter = { dueAt: trusted({ $lte: now }), kind: trusted({ $in: kinds }), ...(excludeKeys.length > 0 ? { _id: trusted({ $nin: excludeKeys }) } : {}) };
    // No sort in the query: FerretDB stops scanning at the limit only when it need not sort (measured with 10,000
    // due jobs: 77 ms unsorted, 775 ms sorted), and MongoDB walks its dueAt index in order anyway. Every job found
    // is due, so the batch is a fair one either way; within it, the oldest go first.
    const docs = await this.models.OutreachJob.find(filter).limit(limit).lean();
    return (docs as unknown as JobDoc[]).map(toJob).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async claim(jobs: OutreachJob[], owner: string, leaseUntil: Date): Promise<{ won: OutreachJob[]; lost: OutreachJob[] }> {
    const inserted = await insertNew(this.models.OutreachClaim, jobs.map((job) => ({ _id: claimId(job), owner, leaseUntil })), 'claiming outreach jobs');
    return { won: jobs.filter((job) => inserted.has(claimId(job))), lost: jobs.filter((job) => !inserted.has(claimId(job))) };
  }

  async release(jobs: OutreachJob[]): Promise<void> {
    await bulkDeleteById(this.models.OutreachClaim, jobs.map(claimId));
  }

  async reopenAbandoned(lost: OutreachJob[], now: Date): Promise<number> {
    if (lost.length === 0) return 0;
    const claims = await this.models.OutreachClaim.find({ _id: trusted({ $in: lost.map(claimId) }) }).lean();
    const held = new Set(claims.filter((claim) => claim.leaseUntil > now).map((claim) => claim._id));
    let reopened = 0;
    // The attempts condition leaves alone a job that moved on since it was read (deferred, or finished and
    // deleted); setting the next attempt, not incrementing, keeps two instances reopening it at once in step.
    for (const [attempts, group] of groupBy(lost.filter((job) => !held.has(claimId(job))), (job) => job.attempts)) {
      reopened += (await this.models.OutreachJob.updateMany({ _id: keysIn(group), attempts }, { $set: { attempts: attempts + 1 } })).modifiedCount;
    }
    return reopened;
  }

  async complete(results: OutreachResult[], now: Date): Promise<void> {
    const final = results.filter((result) => result.status !== 'deferred');
    if (final.length > 0) {
      // History first: a crash before the delete leaves the job live, to be handed over again (the gateway's
      // idempotency key stops a second send), rather than gone with no record.
      const history = final.map(({ job, status, reason, lastError }) => {
        const { key, reason: _deferredFor, lastError: _earlier, ...fields } = job; // history keeps the final outcome's
        const why = { ...(reason ? { reason } : {}), ...(lastError ? { lastError } : {}) };
        return { ...fields, _id: key, attempts: job.attempts + 1, status, ...why, updatedAt: now, finishedAt: now };
      });
      await insertNew(this.models.OutreachHistory, history, 'recording finished outreach jobs');
      await bulkDeleteById(this.models.OutreachJob, final.map((result) => result.job.key));
    }
    // Deferred jobs share their new dueAt in batches (quiet hours end at one instant per zone): one update per
    // group. The next attempt gets a new claim id, so a reader that saw the job before still cannot claim it.
    const deferred = results.flatMap((result) => (result.status === 'deferred' ? [result] : []));
    for (const group of groupBy(deferred, (d) => `${d.dueAt.getTime()}|${d.reason ?? ''}|${d.failed === true}`).values()) {
      const { dueAt, reason, failed } = group[0]!;
      await this.models.OutreachJob.updateMany(
        { _id: keysIn(group.map((d) => d.job)) },
        { $set: { dueAt, status: 'deferred', ...(reason ? { reason } : {}) }, $inc: { attempts: 1, ...(failed ? { failures: 1 } : {}) } },
      );
    }
  }

  async cancel(keys: string[]): Promise<number> {
    return bulkDeleteById(this.models.OutreachJob, keys);
  }

  async upcoming(patientId: string, until: Date): Promise<OutreachJob[]> {
    const docs = await this.models.OutreachJob.find({ patientId, dueAt: trusted({ $lt: until }) }).sort({ dueAt: 1, _id: 1 }).lean();
    return (docs as unknown as JobDoc[]).map(toJob);
  }

  async dueCounts(from: Date, until: Date): Promise<[Date, number][]> {
    // One $sum per $group (FerretDB's limit), grouped by the exact dueAt: slots fall on whole minutes, so the groups
    // are few, and the caller buckets them.
    const groups = await this.models.OutreachJob.aggregate<{ _id: Date; count: number }>([
      { $match: { dueAt: { $gte: from, $lt: until } } },
      { $group: { _id: '$dueAt', count: { $sum: 1 } } },
    ]);
    return groups.map((group) => [new Date(group._id), group.count]);
  }

  async pruneClaims(before: Date): Promise<number> {
    return (await this.models.OutreachClaim.deleteMany({ leaseUntil: trusted({ $lt: before }) })).deletedCount;
  }
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
