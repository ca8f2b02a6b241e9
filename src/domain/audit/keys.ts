import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A secret that signs audit events, and the id written on each event it signs (never the secret). */
export interface AuditKey {
  id: string;
  secret: string;
}

/** The id of a key: a one-way fingerprint, so events can name their key without revealing it. */
export function auditKeyId(secret: string): string {
  return createHmac('sha256', secret).update('careloop audit key id').digest('hex').slice(0, 16);
}

/**
 * The key that signs new events, and retired keys that still verify the events they signed. Rotating means:
 * set a new AUDIT_KEY and move the old one to AUDIT_PREVIOUS_KEYS; events name their key by id.
 */
export class AuditKeyring {
  readonly current: AuditKey;
  private readonly byId = new Map<string, AuditKey>();

  constructor(current: string, previous: readonly string[] = []) {
    this.current = { id: auditKeyId(current), secret: current };
    for (const secret of [current, ...previous]) this.byId.set(auditKeyId(secret), { id: auditKeyId(secret), secret });
  }

  find(id: string | undefined): AuditKey | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  /**
   * Keys for another purpose (signing console invitations), derived from these by HMAC with the purpose's name:
   * every instance and the CLI share them, they rotate with the audit key, and none reveals the audit key.
   */
  derive(purpose: string): { current: string; previous: string[] } {
    const derived = (secret: string) => createHmac('sha256', secret).update(`careloop ${purpose}`).digest('base64url');
    return { current: derived(this.current.secret), previous: [...this.byId.values()].filter((key) => key.id !== this.current.id).map((key) => derived(key.secret)) };
  }
}

export interface AuditKeySettings {
  /** AUDIT_KEY. */
  key?: string;
  /** AUDIT_PREVIOUS_KEYS. */
  previousKeys?: readonly string[];
  /** Used (and created) when `key` is unset: `$DATA_DIR/audit.key`. */
  keyFile: string;
  /** Several instances may write to this database (MONGODB_URI, or FerretDB over PostgreSQL). */
  sharedDatabase: boolean;
  production: boolean;
}

/** The keyring, and where its current key came from (for the start-up warning). */
export interface LoadedAuditKeys {
  keyring: AuditKeyring;
  source: 'AUDIT_KEY' | 'file';
  file?: string;
}

/**
 * AUDIT_KEY when set. Otherwise a random key in a file beside the embedded database, created on first use:
 * outside the database, so writing to the database alone cannot forge events. A database that several
 * instances share needs one key for all of them, which a per-machine file cannot give: production refuses it.
 */
export function loadAuditKeys(settings: AuditKeySettings): LoadedAuditKeys {
  const previous = settings.previousKeys ?? [];
  if (settings.key) return { keyring: new AuditKeyring(settings.key, previous), source: 'AUDIT_KEY' };
  if (settings.production && settings.sharedDatabase) {
    throw new Error('AUDIT_KEY is required in production with a shared database (MONGODB_URI or FERRETDB_BACKEND=postgresql): every instance must sign the audit trail with the same key');
  }
  return { keyring: new AuditKeyring(readOrCreateKeyFile(settings.keyFile), previous), source: 'file', file: settings.keyFile };
}

function readOrCreateKeyFile(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside, then linked into place: a process starting at the same moment sees the whole key or none.
    const pending = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(pending, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(pending, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`creating the audit key file ${file}`, { cause: err });
    } finally {
      fs.rmSync(pending, { force: true });
    }
  }
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new Error(`the audit key file ${file} holds fewer than 32 characters`);
  return key;
}
