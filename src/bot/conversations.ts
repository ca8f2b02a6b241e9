import { ConversationState, type Storage } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { AlertRaiser } from '../domain/alerts/service.js';
import { OptOutService } from '../domain/consent/opt-out.js';
import type { EducationService } from '../domain/education/ask.js';
import type { SymptomCheckService } from '../domain/symptoms/service.js';
import { OutboundGateway, type Deliver } from '../domain/messaging/gateway.js';
import type { ContactDirectory, MessageLog } from '../domain/messaging/ports.js';
import { parseQuietHours } from '../domain/messaging/quiet-hours.js';
import { replyCapNotice } from '../domain/messaging/reply-cap.js';
import type { MessageChannel } from '../domain/messaging/types.js';
import type { ChannelAddressBook, PatientRepository } from '../domain/patients/ports.js';
import type { PatientService } from '../domain/patients/service.js';
import { SafetyService, type SafetySettings } from '../domain/safety/service.js';
import { WellbeingService, type WellbeingRepository } from '../domain/wellbeing/wellbeing.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { DoseDialog, pendingDoseQuestion } from '../../dialogs/dose-dialog.js';
import { PostopCheckInDialog } from '../../dialogs/postop-checkin-dialog.js';
import type { PostopCheckIns } from '../domain/postop/checkins.js';
import { MainDialog } from '../../dialogs/main-dialog.js';
import type { DoseOutreach } from '../domain/medication/outreach.js';
import { GatewayAdapter } from './adapter.js';
import { flowSince } from '../lib/conversation-state.js';
import { ACTIVE_FLOW_MS, CareLoopBot } from './bot.js';
import { turnErrorHandler } from './errors.js';
import { ProactiveMessenger } from './proactive.js';
import { conversationKey, ConversationRuntime } from './runtime.js';

/** The storage ports conversations use (src/store implements them). */
export interface ConversationRepositories {
  messages: MessageLog;
  contacts: ContactDirectory;
  patients: PatientRepository;
  wellbeing: WellbeingRepository;
  addresses: ChannelAddressBook;
}

export interface ConversationDeps {
  repositories: ConversationRepositories;
  patients: PatientService;
  clock: Clock;
  logger: Logger;
  settings: SafetySettings;
  quietHours: string;
  /** Conversation state (botbuilder Storage with eTags: MongoDB, or the benchmark's MemoryStorage baseline). */
  stateStorage: Storage;
  /**
   * Of these state keys, those whose conversation has a flow open, with when the patient last wrote (one lookup each:
   * MongoStorage.openFlows); absent, each conversation's state is read.
   */
  openFlows?: (keys: readonly string[]) => Promise<Map<string, Date>>;
  symptoms: SymptomCheckService;
  /** The one way alerts are raised (AlertService): safety interrupts and wellbeing scores raise through it. */
  alerts: AlertRaiser;
  education: EducationService;
  /** How each channel delivers; the gateway calls them after its checks. */
  providers: Partial<Record<MessageChannel, Deliver>>;
  /** SMS_REPLIES_PER_MINUTE: replies one number can get per minute (emergency and crisis replies always go). */
  smsRepliesPerMinute: number;
  /** STAFF_PAGES_PER_MINUTE: SMS pages one staff number can get per minute. */
  staffPagesPerMinute?: number;
  /** Dialogs a proactive message can begin (`ProactiveMessenger.begin`), beside the main dialog. */
  proactiveDialogs?: (services: { safety: SafetyService }) => Dialog[];
  /** Medication dose answers: registers the dose dialog (dialogs/dose-dialog.ts), begun by a patient's first SMS after a reminder. */
  doseOutreach?: DoseOutreach;
  /** Post-op check-ins: registers the check-in dialog (dialogs/postop-checkin-dialog.ts) for the scheduler to begin. */
  postopCheckIns?: PostopCheckIns;
}

/** Everything conversational, wired once: state storage, safety, dialogs, bot, gateway, adapters, runtime. */
export function createConversations(deps: ConversationDeps) {
  const repos = deps.repositories;
  const quietHours = parseQuietHours(deps.quietHours);
  if (!quietHours) throw new Error(`QUIET_HOURS "${deps.quietHours}" is not HH:MM-HH:MM`);

  // One opt-out path for STOP, plain-language requests and the carrier's 21610, whichever way it arrives.
  const optOuts = new OptOutService({ contacts: repos.contacts, patients: deps.patients, clock: deps.clock });
  /** The carrier reports an opt-out outside a send (a status callback with 21610). */
  const onCarrierOptOut = (channel: MessageChannel, address: string, patientId: string | undefined) => optOuts.optOut({ channel, address, patientId }, 'carrier');
  const gateway = new OutboundGateway({
    messages: repos.messages, contacts: repos.contacts, patients: repos.patients, clock: deps.clock, quietHours, providers: deps.providers, optOuts, logger: deps.logger,
    replyCap: { perMinute: deps.smsRepliesPerMinute, notice: replyCapNotice(deps.settings.emergencyNumber) },
    pagesPerMinute: deps.staffPagesPerMinute,
  });

  const conversationState = new ConversationState(deps.stateStorage);
  const safety = new SafetyService({ optOuts, alerts: deps.alerts, settings: deps.settings });
  const wellbeing = new WellbeingService({ scores: repos.wellbeing, alerts: deps.alerts, clock: deps.clock });
  const dialog = new MainDialog({ safety, wellbeing, symptoms: deps.symptoms, education: deps.education, settings: deps.settings });
  const proactiveDialogs = [
    ...(deps.doseOutreach ? [new DoseDialog(safety, deps.doseOutreach)] : []),
    ...(deps.postopCheckIns ? [new PostopCheckInDialog(safety, deps.postopCheckIns)] : []),
    ...(deps.proactiveDialogs?.({ safety }) ?? []),
  ];
  const bot = new CareLoopBot(conversationState, dialog, proactiveDialogs, deps.doseOutreach ? pendingDoseQuestion : undefined);
  const readFlows = async (keys: string[]): Promise<Map<string, Date>> => {
    const items = keys.length > 0 ? await deps.stateStorage.read(keys) : {};
    return new Map(Object.entries(items).flatMap(([key, state]) => {
      const since = flowSince(state as Record<string, unknown>);
      return since ? [[key, since] as const] : [];
    }));
  };
  /** SMS numbers whose conversation has a flow open that the patient wrote in lately: a dose question waits for them. */
  const busySms = async (phones: readonly string[], now: Date): Promise<Set<string>> => {
    // ConversationState's storage key: `<channel>/conversations/<conversation id>/<namespace, empty>`.
    const keyOf = (phone: string) => `sms/conversations/${conversationKey('sms', phone)}/`;
    const flows = deps.openFlows ? await deps.openFlows(phones.map(keyOf)) : await readFlows(phones.map(keyOf));
    return new Set(phones.filter((phone) => {
      const since = flows.get(keyOf(phone));
      return since !== undefined && now.getTime() - since.getTime() < ACTIVE_FLOW_MS;
    }));
  };

  const onTurnError = turnErrorHandler(conversationState, deps.logger, deps.settings.emergencyNumber);
  const adapters = { sms: new GatewayAdapter('sms', gateway), webchat: new GatewayAdapter('webchat', gateway) };
  for (const adapter of Object.values(adapters)) adapter.onTurnError = onTurnError;

  const runtime = new ConversationRuntime({ messages: repos.messages, patients: repos.patients, bot, adapters, addresses: repos.addresses, clock: deps.clock, logger: deps.logger });
  const proactive = new ProactiveMessenger({ patients: repos.patients, addresses: repos.addresses, adapters, bot, runtime, clock: deps.clock });
  return { gateway, runtime, bot, proactive, onTurnError, onCarrierOptOut, optOuts, busySms };
}

export type Conversations = ReturnType<typeof createConversations>;
