import type { AuditEntry, AuditEvent, ExportedHead, VerifyResult } from './chain.js';

/** Append-only audit storage: `append` links the entry to the chain and signs it; there is no update or delete. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditEvent>;
  /** All events in sequence order. */
  events(): AsyncIterable<AuditEvent>;
  /** The last recorded position of the chain, if any. */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  list(page: { limit: number; afterSeq?: number; patientId?: string }): Promise<AuditEvent[]>;
  /** Verifies the whole chain with this log's audit keys, and against a head kept outside the database. */
  verify(exported?: ExportedHead): Promise<VerifyResult>;
}
