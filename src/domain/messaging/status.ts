import type { MessageStatus } from './types.js';

/**
 * Delivery order, strictly increasing, no ties. A status only replaces one of lower rank, so a late or
 * repeated callback never moves a message backwards, and the end state does not depend on arrival order.
 * Outcomes outrank every in-flight state; among outcomes, proof of delivery wins (a carrier may report
 * `undelivered` and later `delivered`; `failed` is decided before any carrier), and `read` implies delivered.
 */
const RANK: Record<MessageStatus, number> = {
  received: 0,
  blocked: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  simulated: 3,
  failed: 4,
  undelivered: 5,
  delivered: 6,
  read: 7,
};

export const statusRank = (status: MessageStatus): number => RANK[status];
