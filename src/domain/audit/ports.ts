import type { AuditEntry, AuditEvent } from './chain.js';

/** Append-only audit storage: `append` links the entry to the chain; there is no update or delete. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditEvent>;
  /** All events in sequence order. */
  events(): AsyncIterable<AuditEvent>;
  /** The last recorded position of the chain, if any. */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  list(page: { limit: number; afterSeq?: number; patientId?: string }): Promise<AuditEvent[]>;
}
