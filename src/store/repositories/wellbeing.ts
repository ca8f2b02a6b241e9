import type { WellbeingRepository, WellbeingScore } from '../../domain/wellbeing/wellbeing.js';
import { insertOnce } from '../duplicate.js';
import type { Models } from '../models.js';

/** Wellbeing scores (collection `checkins`, its name from before the rename), one per message. */
export class MongoWellbeingRepository implements WellbeingRepository {
  constructor(private readonly models: Models) {}

  async record(entry: WellbeingScore): Promise<boolean> {
    return insertOnce(this.models.WellbeingScore, entry, 'recording a wellbeing score');
  }
}
