import { MongoConsoleSessionRepository, MongoPasskeyRepository, MongoStaffAccountRepository } from './repositories/staff-accounts.js';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config/index.js';
import { loadAuditKeys, type AuditKeyring, type LoadedAuditKeys } from '../domain/audit/keys.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { findRunningFerretDb, startFerretDb, type FerretDbHandle } from './ferretdb.js';
import { defineModels, type Models } from './models.js';
import { MongoChannelAddressBook } from './repositories/addresses.js';
import { MongoApiKeyRepository } from './repositories/apikeys.js';
import { MongoAuditLog } from './repositories/audit.js';
import { MongoCareTeamRepository, MongoStaffRepository } from './repositories/directory.js';
import { MongoAlertRepository } from './repositories/alerts.js';
import { MongoWellbeingRepository } from './repositories/wellbeing.js';
import { MongoRotationRepository, MongoStaffDirectory } from './repositories/escalation.js';
import { MongoEscalationRuleRepository } from './repositories/escalation-rules.js';
import { MongoContactDirectory } from './repositories/contacts.js';
import { MongoMessageLog } from './repositories/messages.js';
import { MongoConsentLog, MongoPatientRepository } from './repositories/patients.js';
import { MongoJobRunLog } from './repositories/jobruns.js';
import { MongoOutreachStore } from './repositories/outreach.js';
import { MongoDoseRepository, MongoMedicationPlanRepository } from './repositories/medication.js';
import { MongoCheckInRepository, MongoEnrolmentRepository, MongoProtocolRepository } from './repositories/postop.js';

// Callers' operator objects ({"$gt": ""}) become CastErrors; our own operators are wrapped in trusted().
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
mongoose.set('autoIndex', false); // indexes are created explicitly at start, and failures stop the start

export interface Database {
  connection: Connection;
  models: Models;
  repositories: ReturnType<typeof createRepositories>;
  /** The key that signs audit events: its id and where it came from (never the secret). */
  auditKey: { id: string; source: LoadedAuditKeys['source']; file?: string };
  /** Keys derived from the audit keys for another purpose (see AuditKeyring.derive). */
  derivedKeys(purpose: string): { current: string; previous: string[] };
  /** Where the data lives, for logs: never includes credentials. */
  description: string;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  clock: Clock;
  /** The CLI may share a running CareLoop's embedded database; the server must own its own. */
  reuseRunning?: boolean;
  onProgress?: (message: string) => void;
}

type DbConfig = Pick<Config, 'NODE_ENV' | 'MONGODB_URI' | 'MONGODB_DB_NAME' | 'DB_MAX_POOL_SIZE' | 'DATA_DIR' | 'FERRETDB_BACKEND' | 'FERRETDB_POSTGRESQL_URL' | 'FERRETDB_BIN' | 'AUDIT_KEY' | 'AUDIT_PREVIOUS_KEYS'>;

/**
 * Loads the audit key (before anything starts, so a missing one stops us early), connects to MONGODB_URI or
 * starts the embedded FerretDB, creates indexes, and returns models and repositories.
 */
export async function openDatabase(config: DbConfig, options: OpenOptions): Promise<Database> {
  const auditKeys = loadAuditKeys({
    key: config.AUDIT_KEY,
    previousKeys: config.AUDIT_PREVIOUS_KEYS,
    keyFile: path.resolve(config.DATA_DIR, 'audit.key'),
    sharedDatabase: Boolean(config.MONGODB_URI) || config.FERRETDB_BACKEND === 'postgresql',
    production: config.NODE_ENV === 'production',
  });
  let ferret: FerretDbHandle | undefined;
  let uri = config.MONGODB_URI;
  let description = 'MongoDB (MONGODB_URI)';
  if (!uri) {
    const dataDir = path.resolve(config.DATA_DIR, 'db');
    const running = options.reuseRunning ? findRunningFerretDb(dataDir) : undefined;
    ferret = running
      ? { ...running, owned: false, stop: async () => {} }
      : await startFerretDb({
          backend: config.FERRETDB_BACKEND,
          dataDir,
          postgresqlUrl: config.FERRETDB_POSTGRESQL_URL,
          binary: config.FERRETDB_BIN,
          onProgress: options.onProgress,
        });
    uri = ferret.uri;
    description = `embedded FerretDB (${config.FERRETDB_BACKEND}${config.FERRETDB_BACKEND === 'sqlite' ? `, ${dataDir}` : ''})`;
  }

  const connection = mongoose.createConnection(uri, {
    dbName: hasDatabaseInUri(uri) ? undefined : config.MONGODB_DB_NAME,
    // FerretDB holds a backend connection per operation: a capped pool keeps it from wedging (ARCHITECTURE.md).
    maxPoolSize: config.DB_MAX_POOL_SIZE,
    serverSelectionTimeoutMS: 5_000,
  });
  try {
    await connection.asPromise();
    const models = defineModels(connection, options.clock);
    await createIndexes(models);
    return {
      connection,
      models,
      repositories: createRepositories(models, auditKeys.keyring, options.clock),
      auditKey: { id: auditKeys.keyring.current.id, source: auditKeys.source, file: auditKeys.file },
      derivedKeys: (purpose) => auditKeys.keyring.derive(purpose),
      description,
      ping: (timeoutMs = 2_000) => ping(connection, timeoutMs),
      async close() {
        await connection.close();
        await ferret?.stop();
      },
    };
  } catch (err) {
    await connection.close().catch(() => undefined);
    await ferret?.stop();
    throw new AppError('unavailable', `cannot use the database (${description}): ${(err as Error).message}`, undefined, { cause: err });
  }
}

function createRepositories(models: Models, auditKeys: AuditKeyring, clock: Clock) {
  const contacts = new MongoContactDirectory(models);
  return {
    contacts,
    messages: new MongoMessageLog(models),
    alerts: new MongoAlertRepository(models),
    wellbeing: new MongoWellbeingRepository(models),
    patients: new MongoPatientRepository(models, contacts),
    consent: new MongoConsentLog(models),
    careTeams: new MongoCareTeamRepository(models),
    staff: new MongoStaffRepository(models),
    staffDirectory: new MongoStaffDirectory(models),
    rotations: new MongoRotationRepository(models),
    escalationRules: new MongoEscalationRuleRepository(models),
    apiKeys: new MongoApiKeyRepository(models),
    staffAccounts: new MongoStaffAccountRepository(models),
    consoleSessions: new MongoConsoleSessionRepository(models),
    passkeys: new MongoPasskeyRepository(models),
    audit: new MongoAuditLog(models, auditKeys),
    outreach: new MongoOutreachStore(models, clock),
    jobRuns: new MongoJobRunLog(models),
    addresses: new MongoChannelAddressBook(models),
    medicationPlans: new MongoMedicationPlanRepository(models),
    doses: new MongoDoseRepository(models),
    postopProtocols: new MongoProtocolRepository(models),
    postopEnrolments: new MongoEnrolmentRepository(models),
    postopCheckIns: new MongoCheckInRepository(models),
  };
}

/**
 * Creates every index; idempotent. Instances starting at the same moment can race on FerretDB over
 * PostgreSQL ("relation already exists"), so a failed round is retried once the other instance is done.
 */
async function createIndexes(models: Models): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const model of Object.values(models)) await model.createIndexes();
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function hasDatabaseInUri(uri: string): boolean {
  return /^mongodb(\+srv)?:\/\/[^/]+\/[^?/]+/.test(uri);
}

async function ping(connection: Connection, timeoutMs: number): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('not connected');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.command({ ping: 1 }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
