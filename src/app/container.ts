import { randomBytes } from 'node:crypto';
import type { Storage } from 'botbuilder';
import { DialogIds } from '../../dialogs/ids.js';
import { alertEscalations } from '../../schedules/alert-escalations.js';
import { educationDrip } from '../../schedules/education-drip.js';
import { medicationDoses } from '../../schedules/medication-doses.js';
import { replyRecovery } from '../../schedules/reply-recovery.js';
import { createConversations, type ConversationDeps } from '../bot/conversations.js';
import { EmailPager } from '../channels/paging/email.js';
import { PagingNotifier } from '../channels/paging/notifier.js';
import { WebhookPager, type RetryPolicy } from '../channels/paging/webhook.js';
import { smsProvider } from '../channels/sms/provider.js';
import type { Config } from '../config/index.js';
import { EscalationSteps } from '../domain/alerts/escalation.js';
import { AlertService } from '../domain/alerts/service.js';
import { StaffSms } from '../domain/alerts/staff-sms.js';
import { StaffAccounts } from '../domain/staff/accounts.js';
import { StaffPasskeys } from '../domain/staff/passkeys.js';
import { EducationService, tipFor } from '../domain/education/ask.js';
import { dueEducation, loadProgrammes, medicationEnrolments } from '../domain/education/programmes.js';
import { signAckToken } from '../domain/escalation/ack-link.js';
import { defaultRules } from '../domain/escalation/defaults.js';
import { RuleBook } from '../domain/escalation/rule-book.js';
import { EscalationRuleService } from '../domain/escalation/rule-store.js';
import { loadLibrary } from '../domain/education/library.js';
import { DoseOutreach } from '../domain/medication/outreach.js';
import { OutreachPreview } from '../domain/medication/preview.js';
import { MedicationService } from '../domain/medication/service.js';
import { parseQuietHours } from '../domain/messaging/quiet-hours.js';
import { ProtocolService } from '../domain/postop/protocols.js';
import { PostopService } from '../domain/postop/service.js';
import { PostopCheckIns } from '../domain/postop/checkins.js';
import { MODEL_FINDINGS_PROMPT, modelFindingsSchema, toFindings } from '../domain/symptoms/model-findings.js';
import { SymptomCheckService } from '../domain/symptoms/service.js';
import { appendBotActivity } from '../domain/webchat/directline.js';
import { LanguageModel } from '../integrations/azure-openai/client.js';
import { TwilioSms } from '../integrations/twilio/client.js';
import { escalationHandlers } from '../scheduler/handlers/escalation.js';
import { medicationHandlers } from '../scheduler/handlers/medication.js';
import { postopHandler } from '../scheduler/handlers/postop.js';
import { bindJob, Scheduler } from '../scheduler/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { MongoStorage } from '../store/bot-state.js';
import type { Database } from '../store/database.js';
import { MongoDirectLineStore } from '../store/repositories/directline.js';
import { buildRecordServices } from './records.js';

export interface ContainerDeps {
  config: Config;
  logger: Logger;
  db: Database;
  clock: Clock;
  /** Conversation state storage; default MongoDB. The SMS benchmark passes MemoryStorage as its baseline. */
  stateStorage?: Storage;
  /** Dialogs a proactive message can begin, beside CareLoop's own (tests register theirs here). */
  proactiveDialogs?: ConversationDeps['proactiveDialogs'];
  /**
   * Paging channel options: tests page a local webhook over http://127.0.0.1 and a local SMTP server without
   * TLS (`allowInsecureLocal`), and skip the retry waits (`sleep`).
   */
  paging?: { allowInsecureLocal?: boolean } & Partial<RetryPolicy>;
}

/**
 * Work that runs in the background (the scheduler, its jobs): started once the database is open, stopped, after
 * its run in flight, before the database closes.
 */
export interface BackgroundService {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The composition root: builds every service once, on an open database. The HTTP server (src/http/server.ts),
 * the worker (src/worker.ts) and the CLI take what they need from it; the caller owns the database.
 */
export function buildContainer({ config, logger, db, clock, stateStorage, proactiveDialogs, paging = {} }: ContainerDeps) {
  const repos = db.repositories;
  const records = buildRecordServices(db, clock);
  const publicBaseUrl = config.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const twilio = config.TWILIO_ACCOUNT_SID
    ? new TwilioSms({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, from: config.TWILIO_FROM, messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID, apiBaseUrl: config.TWILIO_API_BASE_URL, sendRatePerSecond: config.SMS_SEND_RATE_PER_SECOND })
    : undefined;
  const webchatStore = new MongoDirectLineStore(db.connection, clock);
  const settings = { clinicName: config.CLINIC_NAME, clinicPhone: config.CLINIC_PHONE, emergencyNumber: config.EMERGENCY_NUMBER, crisisLine: config.CRISIS_LINE };
  // The model is optional and never decides: it may add extracted findings (which can only raise a level) and
  // phrase cited answers from the library's passages.
  const model = LanguageModel.fromConfig(config, { logger });
  // Every alert is raised here: the rules decide severity, team and paging policy, kept on the alert.
  const rules = new RuleBook({ defaults: defaultRules(), clock, loadStored: () => repos.escalationRules.enabled() });
  const escalationRules = new EscalationRuleService({ rules: repos.escalationRules, careTeams: repos.careTeams, book: rules });
  const alerts = new AlertService({
    alerts: repos.alerts, rules, careTeams: repos.careTeams, staff: repos.staff, outreach: repos.outreach, clock,
    // The first page goes now, not at the next dispatch slot (up to 10 s later), when the schedules run here.
    dispatchNow: () => scheduler.nudge(),
  });
  const symptoms = new SymptomCheckService({
    alerts, settings,
    extractor: model && (async (text) => {
      const extracted = await model.extractJson({ system: MODEL_FINDINGS_PROMPT, user: text, schema: modelFindingsSchema, schemaName: 'symptom_findings' });
      return extracted && toFindings(extracted);
    }),
  });
  const library = loadLibrary();
  const programmes = loadProgrammes(undefined, (articleId) => library.articles.some((article) => article.id === articleId));
  const education = new EducationService({
    library, settings: { emergencyNumber: config.EMERGENCY_NUMBER, crisisLine: config.CRISIS_LINE },
    answerer: model && ((question, passages) => model.answerFromPassages(question, passages)),
  });
  const quietHours = parseQuietHours(config.QUIET_HOURS)!; // the config schema checked its form
  const postopProtocols = new ProtocolService({ protocols: repos.postopProtocols, clock });
  const postop = new PostopService({
    enrolments: repos.postopEnrolments, checkIns: repos.postopCheckIns, protocols: postopProtocols, patients: repos.patients, outreach: repos.outreach, clock, quietHours,
  });
  const medication = new MedicationService({
    plans: repos.medicationPlans, doses: repos.doses, patients: repos.patients, clock,
    missedDoseThreshold: config.MISSED_DOSES_ALERT_AFTER, reminders: { outreach: repos.outreach, quietHours },
  });
  const doseOutreach = new DoseOutreach({
    medication, plans: repos.medicationPlans, doses: repos.doses, patients: repos.patients, outreach: repos.outreach, alerts,
    clock, quietHours, followupMinutes: config.DOSE_FOLLOWUP_MINUTES,
  });
  const postopCheckIns = new PostopCheckIns({
    enrolments: repos.postopEnrolments, checkIns: repos.postopCheckIns, protocols: postopProtocols, patients: repos.patients, alerts, outreach: repos.outreach,
    clock, settings, reminderMinutes: config.POSTOP_REMINDER_MINUTES,
  });
  const outreachPreview = new OutreachPreview({
    outreach: repos.outreach, plans: repos.medicationPlans, patients: repos.patients, clock, quietHours,
    sendCapacity: { ratePerSecond: config.SMS_SEND_RATE_PER_SECOND, catchUpWindowMs: config.CATCHUP_WINDOW_MINUTES * 60_000 },
    texts: { postop_checkin: (jobs) => postop.previewTexts(jobs) },
  });
  const mongoStorage = new MongoStorage(db.models);
  const conversations = createConversations({
    repositories: repos, patients: records.patients, clock, logger, symptoms, education, settings, proactiveDialogs, doseOutreach, postopCheckIns, alerts,
    staffPagesPerMinute: config.STAFF_PAGES_PER_MINUTE,
    stateStorage: stateStorage ?? mongoStorage,
    openFlows: stateStorage ? undefined : (keys) => mongoStorage.openFlows(keys),
    quietHours: config.QUIET_HOURS,
    smsRepliesPerMinute: config.SMS_REPLIES_PER_MINUTE,
    providers: {
      // Status callbacks reach the HTTP server, wherever this process runs.
      sms: smsProvider(twilio, publicBaseUrl ?? `http://${config.HOST}:${config.PORT}`),
      webchat: async (message) => ({ providerId: (await appendBotActivity(webchatStore, message.address, { text: message.text })).id, status: 'sent' }),
    },
  });
  const { proactive, gateway } = conversations;
  const ackKeys = { current: config.ACK_LINK_KEY ?? randomBytes(32).toString('base64url'), previous: config.ACK_LINK_PREVIOUS_KEYS };
  if (!config.ACK_LINK_KEY) logger.warn('ACK_LINK_KEY is not set: using a random one; acknowledgement links in pages stop working at restart');
  const { allowInsecureLocal, ...retry } = paging;
  const email = config.SMTP_URL && config.SMTP_FROM ? new EmailPager({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM, allowInsecureLocal, logger, ...retry }) : undefined;
  const notifier = new PagingNotifier({
    sms: (request) => gateway.sendStaffPage(request),
    webhook: new WebhookPager({ allowInsecureLocal, logger, ...retry }),
    email,
    once: (key, holder) => repos.alerts.once(key, holder),
  });
  const staffSms = new StaffSms({
    staffByPhone: (phone) => repos.staffDirectory.byPhone(phone), alerts, once: (key, holder) => repos.alerts.once(key, holder),
    send: (request) => gateway.sendStaffPage(request), optOuts: conversations.optOuts,
  });
  const ackBaseUrl = publicBaseUrl ?? `http://${config.HOST}:${config.PORT}`;
  const escalation = new EscalationSteps({
    alerts: repos.alerts, staff: repos.staffDirectory, rotations: repos.rotations, notifier, outreach: repos.outreach, clock,
    ackUrl: (alertId, staffId) => {
      const expiresAt = new Date(clock.now().getTime() + config.ACK_LINK_TTL_HOURS * 3_600_000);
      return `${ackBaseUrl}/ack?t=${signAckToken({ alertId, staffId, expiresAt }, ackKeys.current)}`;
    },
  });
  const consoleKeys = db.derivedKeys('console invite');
  const staffAccounts = new StaffAccounts({
    accounts: repos.staffAccounts, sessions: repos.consoleSessions, passkeys: repos.passkeys, staff: records.staff, clock, inviteKeys: consoleKeys, baseUrl: ackBaseUrl,
  });
  const staffPasskeys = new StaffPasskeys({ passkeys: repos.passkeys, accounts: repos.staffAccounts, sessions: staffAccounts, staff: records.staff, clock, keys: consoleKeys });
  const medicationHandlersSet = medicationHandlers({
    doseOutreach, plans: repos.medicationPlans, patients: repos.patients, quietHours, busy: conversations.busySms,
    sendMany: (requests, patients) => gateway.sendMany(requests, patients), send: (request) => gateway.send(request),
  });
  const scheduler = new Scheduler({
    outreach: repos.outreach, runs: repos.jobRuns, clock, logger, config,
    handlers: {
      ...escalationHandlers(escalation),
      ...medicationHandlersSet.single,
      postop_checkin: postopHandler({
        checkIns: postopCheckIns, quietHours,
        ask: (patientId, channel, idempotencyKey, question) =>
          proactive.begin({ patientId, channel, purpose: 'postop_checkins', idempotencyKey, dialogId: DialogIds.postopCheckIn, options: question }),
      }),
    },
    batchHandlers: medicationHandlersSet.batch,
    jobs: [
      // Inbound messages a crash left unanswered, and replies that failed for a while.
      bindJob(replyRecovery, { runtime: conversations.runtime, gateway }),
      bindJob(medicationDoses, { medication, doseOutreach }),
      // Open alerts from before escalation existed are paged like new ones.
      bindJob(alertEscalations, { alerts }),
      // Tips on the days of the patient's programmes (content/education/programmes.yaml).
      bindJob(educationDrip, {
        due: async (now) => dueEducation(medicationEnrolments(await repos.medicationPlans.listActive(), quietHours), programmes, now, config.CATCHUP_WINDOW_MINUTES * 60_000),
        tipFor: (articleId) => tipFor(library, articleId),
        proactive,
      }),
    ],
  });
  const schedules: BackgroundService[] = [scheduler];
  let started = false;

  return {
    config, logger, db, clock,
    ...records,
    publicBaseUrl, twilio, webchatStore, settings, model, symptoms, education, conversations, schedules,
    medication, doseOutreach, outreachPreview, scheduler, postopProtocols, postop, postopCheckIns, rules, escalationRules, alerts, escalation, ackKeys, staffSms, staffAccounts, staffPasskeys,
    /** Whether the schedules run in this process now (`npm start` unless SCHEDULER=off, and the worker), until stop. */
    get schedulesStarted(): boolean {
      return started;
    },
    /** Starts the schedules (not for an API-only instance: SCHEDULER=off). */
    startSchedules(): void {
      started = true;
      for (const schedule of schedules) schedule.start();
    },
    /** Stops the schedules if started (each finishes its run in flight), then waits for conversation turns in flight. */
    async stop(): Promise<void> {
      if (started) await Promise.all(schedules.map((schedule) => schedule.stop()));
      started = false;
      await conversations.runtime.drain();
      email?.close();
    },
  };
}

export type Container = ReturnType<typeof buildContainer>;
