import type { Model } from 'mongoose';
import {
  readKind, readSeverity, type Alert, type AlertChange, type AlertFilter, type AlertRepository,
} from '../../domain/alerts/alerts.js';
import type { Page, PageRequest } from '../../domain/common.js';
import { DEFAULT_POLICY } from '../../domain/escalation/policy.js';
import { insertOnce } from '../duplicate.js';
import { trusted, type Models } from '../models.js';
import { findNewestFirst } from '../paging.js';

/** An alert as stored, including the fields of alerts raised before escalation existed. */
type AlertDoc = Omit<Alert, 'id' | 'policy' | 'teamZone' | 'escalation' | 'timeline'> & {
  _id: string;
  channel?: Alert['source'] extends infer S ? (S extends { channel: infer C } ? C : never) : never;
  address?: string;
  messageId?: string;
  policy?: Alert['policy'];
  teamZone?: string;
  escalation?: Alert['escalation'];
  timeline?: Alert['timeline'];
};

/** Reads old and new alerts alike: `routine` is `normal`, `checkin_low` is `wellbeing_low`, a top-level source moves into `source`. */
function toAlert(doc: AlertDoc): Alert {
  const { _id, channel, address, messageId, ...rest } = doc as AlertDoc & { __v?: unknown };
  const legacySource = channel && address && messageId ? { channel, address, messageId } : undefined;
  return {
    ...rest,
    id: String(_id),
    kind: readKind(rest.kind),
    severity: readSeverity(rest.severity),
    ...(rest.source ?? legacySource ? { source: rest.source ?? legacySource } : {}),
    policy: rest.policy ?? DEFAULT_POLICY,
    teamZone: rest.teamZone ?? 'UTC',
    escalation: rest.escalation ?? { epoch: 0, step: 0, pagedStaffIds: [] },
    timeline: rest.timeline ?? [],
  };
}

/** Alerts, each inserted once under a deterministic id (kind + idempotency key). */
export class MongoAlertRepository implements AlertRepository {
  constructor(private readonly models: Models) {}

  async insert(alert: Alert): Promise<boolean> {
    const { id, ...fields } = alert;
    return insertOnce(this.models.Alert, { _id: id, ...fields }, 'raising an alert');
  }

  async get(id: string): Promise<Alert | undefined> {
    const doc = await this.models.Alert.findById(id).lean();
    return doc ? toAlert(doc as unknown as AlertDoc) : undefined;
  }

  /** Newest first. */
  list(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    else if (filter.statuses) query.status = trusted({ $in: [...filter.statuses] });
    if (filter.patientId) query.patientId = filter.patientId;
    if (filter.careTeamId) query.careTeamId = filter.careTeamId;
    // Alerts stored before severities were renamed say `routine` for `normal`.
    if (filter.severity) query.severity = filter.severity === 'normal' ? trusted({ $in: ['normal', 'routine'] }) : filter.severity;
    return findNewestFirst(this.models.Alert as unknown as Model<AlertDoc>, query, page, toAlert);
  }

  async unescalated(limit: number): Promise<Alert[]> {
    const docs = await this.models.Alert.find({ status: 'open', escalation: trusted({ $exists: false }) }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean();
    return docs.map((doc) => toAlert(doc as unknown as AlertDoc));
  }

  async change(id: string, change: AlertChange): Promise<Alert | undefined> {
    const update: Record<string, unknown> = {};
    if (change.set && Object.keys(change.set).length > 0) update.$set = change.set;
    if (change.unset && change.unset.length > 0) update.$unset = Object.fromEntries(change.unset.map((field) => [field, 1]));
    const push: Record<string, unknown> = {};
    if (change.events && change.events.length > 0) push.timeline = { $each: change.events };
    if (Object.keys(push).length > 0) update.$push = push;
    if (change.paged && change.paged.length > 0 && !change.set?.escalation) update.$addToSet = { 'escalation.pagedStaffIds': { $each: change.paged } };
    const filter = change.onlyIfStatus ? { _id: id, status: trusted({ $in: change.onlyIfStatus }) } : { _id: id };
    const doc = await this.models.Alert.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean();
    return doc ? toAlert(doc as unknown as AlertDoc) : undefined;
  }

  async once(key: string, holder: string): Promise<boolean> {
    return (await insertOnce(this.models.AlertClaim, { _id: key, holder }, 'recording an alert decision')) || (await this.holderOf(key)) === holder;
  }

  async holderOf(key: string): Promise<string | undefined> {
    const doc = await this.models.AlertClaim.findById(key).lean();
    return doc?.holder;
  }

  async reserveShortNumber(shortNumber: number, alertId: string): Promise<boolean> {
    return (await insertOnce(this.models.AlertShortNumber, { _id: shortNumber, alertId }, 'reserving a short alert number')) || (await this.shortNumberHolder(shortNumber)) === alertId;
  }

  async shortNumberHolder(shortNumber: number): Promise<string | undefined> {
    const doc = await this.models.AlertShortNumber.findById(shortNumber).lean();
    return doc?.alertId;
  }

  async releaseShortNumber(shortNumber: number, alertId: string): Promise<void> {
    // By _id and holder: a number already passed on to another alert stays with it.
    await this.models.AlertShortNumber.deleteOne({ _id: shortNumber, alertId });
  }
}
