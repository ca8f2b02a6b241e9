import { alertId, type Alert, type AlertRepository, type NewAlert } from '../../domain/alerts/alerts.js';
import type { Checkin, CheckinRepository } from '../../domain/checkins/checkins.js';
import type { Page, PageRequest } from '../../domain/common.js';
import { isDuplicateKey } from '../duplicate.js';
import type { Model } from 'mongoose';
import type { Models } from '../models.js';
import { findNewestFirst, withId } from '../paging.js';

type AlertDoc = Omit<Alert, 'id'> & { _id: string };
const toAlert = (doc: AlertDoc): Alert => withId(doc) as Alert;

/** Alerts, each inserted once under a deterministic id (kind + message). */
export class MongoAlertRepository implements AlertRepository {
  constructor(private readonly models: Models) {}

  async raise(alert: NewAlert): Promise<boolean> {
    try {
      await this.models.Alert.create({ _id: alertId(alert.kind, alert.messageId), ...alert, status: 'open' });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw new Error('raising an alert', { cause: err });
    }
  }

  /** Newest first. */
  list(filter: { status?: 'open' | 'acknowledged'; patientId?: string }, page: PageRequest): Promise<Page<Alert>> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.patientId) query.patientId = filter.patientId;
    return findNewestFirst(this.models.Alert as unknown as Model<AlertDoc>, query, page, toAlert);
  }

  async acknowledge(id: string): Promise<Alert | undefined> {
    const doc = await this.models.Alert.findByIdAndUpdate(id, { $set: { status: 'acknowledged' } }, { returnDocument: 'after' }).lean();
    return doc ? toAlert(doc as unknown as AlertDoc) : undefined;
  }
}

export class MongoCheckinRepository implements CheckinRepository {
  constructor(private readonly models: Models) {}

  async record(checkin: Checkin): Promise<boolean> {
    try {
      await this.models.Checkin.create(checkin);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw new Error('recording a check-in', { cause: err });
    }
  }
}
