import type { ApiKey, ApiKeyRepository } from '../../domain/auth/keys.js';
import type { Models } from '../models.js';
import { withId } from '../paging.js';

type ApiKeyDoc = Omit<ApiKey, 'id'> & { _id: string };
const toApiKey = (doc: ApiKeyDoc): ApiKey => withId(doc) as ApiKey;

export class MongoApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly models: Models) {}

  async create(key: Omit<ApiKey, 'createdAt'>): Promise<ApiKey> {
    const { id, ...rest } = key;
    const doc = await this.models.ApiKey.create({ _id: id, ...rest });
    return toApiKey(doc.toObject() as ApiKeyDoc);
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const doc = (await this.models.ApiKey.findById(id).lean()) as ApiKeyDoc | null;
    return doc ? toApiKey(doc) : undefined;
  }

  async list(): Promise<ApiKey[]> {
    const docs = (await this.models.ApiKey.find({}).sort({ createdAt: 1 }).lean()) as unknown as ApiKeyDoc[];
    return docs.map(toApiKey);
  }

  async revoke(id: string, at: Date): Promise<ApiKey | undefined> {
    const doc = (await this.models.ApiKey.findByIdAndUpdate(id, { $set: { revokedAt: at } }, { returnDocument: 'after' }).lean()) as ApiKeyDoc | null;
    return doc ? toApiKey(doc) : undefined;
  }
}
