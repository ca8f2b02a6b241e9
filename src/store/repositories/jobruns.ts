import type { JobRunLog } from '../../domain/outreach/ports.js';
import { trusted, type Models } from '../models.js';
import { insertNew } from '../duplicate.js';

/** One record per slot of a scheduled job: the instance whose insert succeeds runs that slot. */
export class MongoJobRunLog implements JobRunLog {
  constructor(private readonly models: Models) {}

  async begin(runId: string, owner: string, startedAt: Date): Promise<boolean> {
    return (await insertNew(this.models.JobRun, [{ _id: runId, owner, startedAt }], 'recording a job run')).has(runId);
  }

  async prune(before: Date): Promise<number> {
    return (await this.models.JobRun.deleteMany({ startedAt: trusted({ $lt: before }) })).deletedCount;
  }
}
