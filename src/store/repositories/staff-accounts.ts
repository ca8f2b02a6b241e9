import type { ConsoleSession, ConsoleSessionRepository, StaffAccount, StaffAccountRepository } from '../../domain/staff/accounts.js';
import type { Passkey, PasskeyRepository } from '../../domain/staff/passkeys.js';
import { insertOnce, isDuplicateKey } from '../duplicate.js';
import { trusted, type Models } from '../models.js';

type AccountDoc = Omit<StaffAccount, 'staffId'> & { _id: string };
type SessionDoc = Omit<ConsoleSession, 'id'> & { _id: string };
const toAccount = ({ _id, ...rest }: AccountDoc): StaffAccount => ({ staffId: _id, ...rest });
const toSession = ({ _id, ...rest }: SessionDoc): ConsoleSession => ({ id: _id, ...rest });

export class MongoStaffAccountRepository implements StaffAccountRepository {
  constructor(private readonly models: Models) {}

  async byStaffId(staffId: string): Promise<StaffAccount | undefined> {
    const doc = (await this.models.StaffAccount.findById(staffId).lean()) as AccountDoc | null;
    return doc ? toAccount(doc) : undefined;
  }

  async byUsername(username: string): Promise<StaffAccount | undefined> {
    const doc = (await this.models.StaffAccount.findOne({ username: String(username) }).lean()) as AccountDoc | null;
    return doc ? toAccount(doc) : undefined;
  }

  async save(account: StaffAccount): Promise<boolean> {
    const { staffId, ...fields } = account;
    try {
      await this.models.StaffAccount.replaceOne({ _id: staffId }, fields, { upsert: true });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async useTotpStep(staffId: string, step: number): Promise<boolean> {
    const result = await this.models.StaffAccount.updateOne({ _id: staffId, lastTotpStep: trusted({ $lt: step }) }, { $set: { lastTotpStep: step } });
    return result.modifiedCount === 1;
  }

  useToken(jti: string, staffId: string, at: Date): Promise<boolean> {
    return insertOnce(this.models.StaffInvite, { _id: jti, staffId, usedAt: at }, 'recording a used console token');
  }
}

export class MongoConsoleSessionRepository implements ConsoleSessionRepository {
  constructor(private readonly models: Models) {}

  async insert(session: ConsoleSession): Promise<void> {
    const { id, ...fields } = session;
    await this.models.ConsoleSession.create({ _id: id, ...fields });
  }

  async get(id: string): Promise<ConsoleSession | undefined> {
    const doc = (await this.models.ConsoleSession.findById(id).lean()) as SessionDoc | null;
    return doc ? toSession(doc) : undefined;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.models.ConsoleSession.updateOne({ _id: id }, { $set: { lastSeenAt: at } });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.models.ConsoleSession.updateOne({ _id: id }, { $set: { revokedAt: at } });
  }

  async revokeAllOf(staffId: string, at: Date, except?: string): Promise<number> {
    const filter = { staffId: String(staffId), revokedAt: trusted({ $exists: false }), ...(except ? { _id: trusted({ $ne: except }) } : {}) };
    const result = await this.models.ConsoleSession.updateMany(filter, { $set: { revokedAt: at } });
    return result.modifiedCount;
  }
}

type PasskeyDoc = Omit<Passkey, 'id'> & { _id: string };
const toPasskey = ({ _id, ...rest }: PasskeyDoc): Passkey => ({ id: _id, ...rest });

export class MongoPasskeyRepository implements PasskeyRepository {
  constructor(private readonly models: Models) {}

  add(passkey: Passkey): Promise<boolean> {
    const { id, ...fields } = passkey;
    return insertOnce(this.models.StaffPasskey, { _id: id, ...fields }, 'adding a passkey');
  }

  async get(id: string): Promise<Passkey | undefined> {
    const doc = (await this.models.StaffPasskey.findById(String(id)).lean()) as PasskeyDoc | null;
    return doc ? toPasskey(doc) : undefined;
  }

  async of(staffId: string): Promise<Passkey[]> {
    const docs = (await this.models.StaffPasskey.find({ staffId: String(staffId) }).sort({ createdAt: 1 }).lean()) as PasskeyDoc[];
    return docs.map(toPasskey);
  }

  async used(id: string, counter: number, at: Date): Promise<void> {
    await this.models.StaffPasskey.updateOne({ _id: String(id) }, { $set: { counter, lastUsedAt: at } });
  }

  async remove(staffId: string, id: string): Promise<boolean> {
    const result = await this.models.StaffPasskey.deleteOne({ _id: String(id), staffId: String(staffId) });
    return result.deletedCount === 1;
  }

  async removeAllOf(staffId: string): Promise<number> {
    const result = await this.models.StaffPasskey.deleteMany({ staffId: String(staffId) });
    return result.deletedCount;
  }
}
