import type { WellbeingRepository, WellbeingScore } from '../../domain/wellbeing/wellbeing.js';
import { isDuplicateKey } from '../duplicate.js';
import type { Models } from '../models.js';

/** Wellbeing scores (collection `checkins`, its name from before the rename), one per message. */
export class MongoWellbeingRepository implements WellbeingRepository {
  constructor(private readonly models: Models) {}

  async record(entry: WellbeingScore): Promise<boolean> {
    try {
      await this.models.WellbeingScore.create(entry);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw new Error('recording a wellbeing score', { cause: err });
    }
  }
}
