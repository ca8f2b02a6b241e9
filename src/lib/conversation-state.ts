/**
 * When the patient last wrote in a conversation whose state has a dialog open, from CareLoop's conversation
 * state item (the bot's `dialogState` and `lastMessageAt` properties, src/bot/bot.ts); null when no flow is open.
 * The state store keeps it beside each conversation's pointer, so a batch of reminders can tell who is busy.
 */
export function flowSince(state: Record<string, unknown>): Date | null {
  const stack = (state.dialogState as { dialogStack?: unknown[] } | undefined)?.dialogStack;
  const last = typeof state.lastMessageAt === 'string' ? new Date(state.lastMessageAt) : undefined;
  return stack && stack.length > 0 && last && !Number.isNaN(last.getTime()) ? last : null;
}
