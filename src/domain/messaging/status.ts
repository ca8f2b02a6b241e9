import type { MessageStatus } from './types.js';

/**
 * Delivery order. A status may only replace one of lower rank, so a late or repeated callback never moves a
 * message backwards. The outcomes (delivered, undelivered, failed) share a rank: the first one reported
 * stands. `read` follows `delivered` (channels that report it).
 */
const RANK: Record<MessageStatus, number> = {
  received: 0,
  blocked: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  simulated: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  read: 5,
};

export const statusRank = (status: MessageStatus): number => RANK[status];
