/**
 * Direct Line 3.0 as CareLoop speaks it: the activity shape Web Chat sends and renders, and the storage port
 * behind our own `/v3/directline` endpoint (implemented in src/store, served by src/channels/webchat). Nothing
 * here imports a driver or a framework, so the channel, the store and the outbound gateway can depend on it.
 */

/** Who sent an activity. `role` decides the side Web Chat draws the bubble on. */
export interface ChannelAccount {
  id: string;
  name?: string;
  role: 'user' | 'bot';
}

/** A button under a bot message (Web Chat's suggested actions): `imBack` sends `value` as the patient's text. */
export interface CardAction {
  type: 'imBack' | 'postBack' | 'messageBack' | 'openUrl';
  title: string;
  value?: unknown;
  text?: string;
  displayText?: string;
}

/** A card or media reference in a bot message; patients cannot upload attachments. */
export interface Attachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

/**
 * One activity as stored and returned by `GET .../activities`. `id` is `<conversationId>|<watermark>`, so the
 * watermark is readable from the id; `timestamp` is the server's time (ISO 8601).
 */
export interface DirectLineActivity {
  type: 'message' | 'event' | 'typing';
  id: string;
  timestamp: string;
  channelId: 'directline';
  conversation: { id: string };
  from: ChannelAccount;
  recipient?: ChannelAccount;
  text?: string;
  textFormat?: 'plain' | 'markdown';
  locale?: string;
  /** The browser's IANA time zone, as Web Chat reports it. */
  localTimezone?: string;
  /** Event name (type `event`). */
  name?: string;
  /** Event value, or the value of a postBack / messageBack button. Small JSON only. */
  value?: unknown;
  replyToId?: string;
  inputHint?: 'acceptingInput' | 'expectingInput' | 'ignoringInput';
  suggestedActions?: { actions: CardAction[] };
  attachments?: Attachment[];
  /** Web Chat matches its own message by `clientActivityID` to mark it sent: it must come back unchanged. */
  channelData?: { clientActivityID?: string; postBack?: boolean; messageBack?: { displayText?: string } };
}

/** An activity before the store numbers it: the store assigns `id`, `timestamp`, `channelId` and `conversation`. */
export type NewDirectLineActivity = Omit<DirectLineActivity, 'id' | 'timestamp' | 'channelId' | 'conversation'>;

/** A conversation's header. `watermark` is a lower bound of its newest activity's watermark (see the store). */
export interface DirectLineConversation {
  id: string;
  patientId?: string;
  watermark: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Where an appended activity landed. */
export interface AppendResult {
  id: string;
  watermark: number;
  activity: DirectLineActivity;
}

/** Who is typing, as far as the signed token says: `patientId` only when the chat was opened from a patient link. */
export interface DirectLineIdentity {
  patientId?: string;
}

/**
 * Storage for Direct Line conversations. Every call is one or a few lookups by `_id` (ARCHITECTURE.md cost
 * model); appends from several app instances to one conversation never lose or renumber an activity.
 */
export interface DirectLineStore {
  /** Creates the conversation; `false` when it already exists (a client retrying its start). */
  create(conversationId: string, patientId?: string): Promise<boolean>;
  get(conversationId: string): Promise<DirectLineConversation | undefined>;
  /** Numbers and stores the activity (returned as stored); throws a not_found AppError for an unknown conversation. */
  append(conversationId: string, activity: NewDirectLineActivity): Promise<AppendResult>;
  /**
   * Activities after `watermark`, oldest first, and the watermark to ask from next time; `undefined` for an
   * unknown conversation. A client far behind gets the newest ones only (the message log is the record).
   */
  since(conversationId: string, watermark: number): Promise<{ activities: DirectLineActivity[]; watermark: number } | undefined>;
}

/** The bot's account in every conversation. */
export const BOT_ACCOUNT: ChannelAccount = { id: 'careloop', role: 'bot' };

/** What the bot may say in web chat; `type` defaults to `message`. */
export type BotReply = Omit<NewDirectLineActivity, 'from' | 'recipient' | 'type'> & { type?: DirectLineActivity['type'] };

/** Appends a bot reply to a conversation; the outbound gateway's web chat provider calls this. */
export function appendBotActivity(store: DirectLineStore, conversationId: string, reply: BotReply): Promise<AppendResult> {
  return store.append(conversationId, { ...reply, type: reply.type ?? 'message', from: BOT_ACCOUNT });
}
