import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { generateApiKey, type ApiKey, type ApiKeyRepository, type Role } from './keys.js';

/** An API key as shown to admins: never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

export const toApiKeyView = (key: ApiKey): ApiKeyView => ({
  id: key.id,
  name: key.name,
  role: key.role,
  createdAt: key.createdAt.toISOString(),
  createdBy: key.createdBy,
  ...(key.revokedAt ? { revokedAt: key.revokedAt.toISOString() } : {}),
});

/** Issues and revokes API keys. The full key exists only in the return value of `create`. */
export class ApiKeyService {
  constructor(private readonly keys: ApiKeyRepository, private readonly clock: Clock) {}

  async create(input: { name: string; role: Role }, createdBy: string): Promise<ApiKeyView & { key: string }> {
    const { id, key, secretHash } = generateApiKey();
    const stored = await this.keys.create({ id, name: input.name, role: input.role, secretHash, createdBy });
    return { ...toApiKeyView(stored), key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.list()).map(toApiKeyView);
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const key = await this.keys.revoke(id, this.clock.now());
    if (!key) throw notFound('API key');
    return toApiKeyView(key);
  }
}
