/**
 * Post-op protocols in MongoDB, versioned: a version, once stored, never changes. A change is a new version;
 * an enrolment keeps the version it was made with, and each check-in records the version it was sent with, so
 * nothing already sent is altered. The shipped default (content/clinical/postop) is stored on first use.
 */
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import type { ProtocolRepository, StoredProtocol } from './ports.js';
import { loadDefaultProtocol, protocolSchema, type Protocol } from './protocol.js';

/** The id of the protocol used when an enrolment names none. */
export const DEFAULT_PROTOCOL_ID = 'default-postop';

/** A protocol as the list shows it. */
export interface ProtocolSummary {
  id: string;
  version: number;
  title?: string;
  status: string;
  days: number[];
  sendHour: string;
  questions: number;
  createdAt: Date;
}

export class ProtocolService {
  private seeded: Promise<void> | undefined;
  /** Stored versions never change: each is parsed once per process. */
  private readonly cache = new Map<string, Protocol>();

  constructor(private readonly deps: { protocols: ProtocolRepository; clock: Clock; defaultProtocol?: () => Protocol }) {}

  /** Stores the shipped default protocol if it is not stored yet (once per process; a repeat insert is a no-op). */
  ensureDefault(): Promise<void> {
    this.seeded ??= (async () => {
      const protocol = (this.deps.defaultProtocol ?? loadDefaultProtocol)();
      await this.deps.protocols.insert(protocol, 'careloop', this.deps.clock.now());
    })().catch((err: unknown) => {
      this.seeded = undefined;
      throw new Error('storing the default post-op protocol', { cause: err });
    });
    return this.seeded;
  }

  /** The latest version of each protocol, by id. */
  async list(): Promise<ProtocolSummary[]> {
    await this.ensureDefault();
    const latest = new Map<string, StoredProtocol>();
    for (const stored of await this.deps.protocols.all()) {
      const kept = latest.get(stored.protocol.id);
      if (!kept || kept.protocol.version < stored.protocol.version) latest.set(stored.protocol.id, stored);
    }
    return [...latest.values()].sort((left, right) => left.protocol.id.localeCompare(right.protocol.id)).map(summary);
  }

  /** One version, or the latest when `version` is absent; 404 when there is none. */
  async get(id: string, version?: number): Promise<StoredProtocol> {
    await this.ensureDefault();
    if (version !== undefined) {
      const stored = await this.deps.protocols.get(id, version);
      if (!stored) throw notFound('post-op protocol version');
      return stored;
    }
    const versions = await this.deps.protocols.versions(id);
    const latest = versions.at(-1);
    if (!latest) throw notFound('post-op protocol');
    return latest;
  }

  /** A stored version's protocol, for sending and reading answers (cached: versions never change). */
  async protocol(id: string, version: number): Promise<Protocol> {
    const key = `${id}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const stored = await this.get(id, version);
    this.cache.set(key, stored.protocol);
    return stored.protocol;
  }

  /** A new protocol, as version 1: `id` must not be in use (409). The body is validated whole (400 with the reasons). */
  async create(body: Record<string, unknown>, createdBy: string): Promise<StoredProtocol> {
    if (body.version !== undefined) throw new AppError('validation_failed', 'version is set by CareLoop: a new protocol is version 1, and POST /api/v1/postop-protocols/:id/versions adds the next');
    const protocol = parse({ ...body, version: 1 });
    await this.ensureDefault();
    if ((await this.deps.protocols.versions(protocol.id)).length > 0) throw new AppError('conflict', `post-op protocol ${protocol.id} exists: add a version with POST /api/v1/postop-protocols/${protocol.id}/versions`);
    return this.store(protocol, createdBy);
  }

  /** The next version of an existing protocol: the whole protocol as it should now be (its id from the path). */
  async addVersion(id: string, body: Record<string, unknown>, createdBy: string): Promise<StoredProtocol> {
    if (body.version !== undefined) throw new AppError('validation_failed', 'version is set by CareLoop: the next version is the latest plus one');
    if (body.id !== undefined && body.id !== id) throw new AppError('validation_failed', 'id in the body differs from the protocol in the path');
    const latest = await this.get(id);
    const protocol = parse({ ...body, id, version: latest.protocol.version + 1 });
    return this.store(protocol, createdBy);
  }

  private async store(protocol: Protocol, createdBy: string): Promise<StoredProtocol> {
    const at = this.deps.clock.now();
    // The unique `<id>@<version>` decides between two writers adding the same version at once.
    if (!(await this.deps.protocols.insert(protocol, createdBy, at))) throw new AppError('conflict', `post-op protocol ${protocol.id} version ${protocol.version} was just stored by another request; read it and try again`);
    return { protocol, createdBy, createdAt: at };
  }
}

function parse(candidate: Record<string, unknown>): Protocol {
  const parsed = protocolSchema.safeParse(candidate);
  if (!parsed.success) throw validationFailed('invalid post-op protocol', parsed.error);
  return parsed.data;
}

function summary({ protocol, createdAt }: StoredProtocol): ProtocolSummary {
  const { id, version, title, status, days, sendHour, questions } = protocol;
  return { id, version, ...(title ? { title } : {}), status, days, sendHour, questions: questions.length, createdAt };
}
