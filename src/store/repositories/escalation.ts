import type { RotationRepository, StaffDirectory } from '../../domain/alerts/escalation.js';
import type { Rotation } from '../../domain/escalation/on-call.js';
import type { StaffMember } from '../../domain/staff/staff.js';
import { upsertById } from '../duplicate.js';
import type { Models } from '../models.js';
import { withId } from '../paging.js';

const toStaff = (doc: unknown): StaffMember => withId(doc as { _id: unknown }) as unknown as StaffMember;

/** The staff escalation pages: one query per team (a team is tens of people, not thousands). */
export class MongoStaffDirectory implements StaffDirectory {
  constructor(private readonly models: Models) {}

  async teamMembers(careTeamId: string): Promise<StaffMember[]> {
    return (await this.models.Staff.find({ careTeamId }).sort({ _id: 1 }).lean()).map(toStaff);
  }

  async get(id: string): Promise<StaffMember | undefined> {
    if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
    const doc = await this.models.Staff.findById(id).lean();
    return doc ? toStaff(doc) : undefined;
  }

  async byPhone(phone: string): Promise<StaffMember | undefined> {
    // The staff collection is small (people, not messages) and FerretDB scans it for any filter but _id anyway:
    // one read of the active staff per inbound SMS, matched here (FerretDB 1.24 has no $elemMatch).
    const active = (await this.models.Staff.find({ active: true }).lean()).map(toStaff);
    return active.find((member) => member.phone === phone || member.notificationChannels.some((channel) => channel.type === 'sms' && channel.address === phone));
  }

  async admins(): Promise<StaffMember[]> {
    return (await this.models.Staff.find({ role: 'admin', active: true }).sort({ _id: 1 }).lean()).map(toStaff);
  }
}

/** On-call rotations, one document per care team (`_id`: the team id). */
export class MongoRotationRepository implements RotationRepository {
  constructor(private readonly models: Models) {}

  async get(careTeamId: string): Promise<Rotation | undefined> {
    const doc = await this.models.OnCallRotation.findById(careTeamId).lean();
    return doc ? (doc.rotation as Rotation) : undefined;
  }

  async put(careTeamId: string, rotation: Rotation): Promise<void> {
    await upsertById(this.models.OnCallRotation, careTeamId, { $set: { rotation } });
  }
}
