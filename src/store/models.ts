import mongoose, { Schema, type Connection } from 'mongoose';
import type { Clock } from '../lib/clock.js';

const channelConsent = new Schema(
  { granted: { type: Boolean, required: true }, purposes: [String], at: { type: Date, required: true }, source: { type: String, required: true } },
  { _id: false },
);

/**
 * All CareLoop models, bound to one connection (tests open one connection per database).
 * Only the portable subset of ARCHITECTURE.md: unique indexes, no TTL, sparse or partial indexes.
 */
export function defineModels(connection: Connection, clock: Clock) {
  const timestamps = { currentTime: () => clock.now() };

  const patientSchema = new Schema(
    {
      name: { type: String, required: true },
      phone: { type: String, required: true },
      timeZone: { type: String, required: true },
      language: { type: String, required: true },
      dateOfBirth: { type: String, required: true },
      careTeamId: { type: String, required: true },
      consent: { sms: channelConsent, webchat: channelConsent },
      quietHours: { type: new Schema({ start: String, end: String }, { _id: false }), default: null },
      doseAskedAt: Date,
      active: { type: Boolean, required: true, default: true },
    },
    { timestamps, collection: 'patients' },
  );

  const careTeamSchema = new Schema(
    { name: { type: String, required: true }, description: String, timeZone: { type: String, required: true }, active: { type: Boolean, required: true, default: true } },
    { timestamps, collection: 'careteams' },
  );

  const staffSchema = new Schema(
    {
      name: { type: String, required: true },
      phone: String,
      email: String,
      role: { type: String, required: true },
      careTeamId: { type: String, required: true },
      notificationChannels: [{ _id: false, type: { type: String, required: true }, address: { type: String, required: true } }],
      active: { type: Boolean, required: true, default: true },
    },
    { timestamps, collection: 'staff' },
  );

  const consentRecordSchema = new Schema(
    {
      patientId: { type: String, required: true },
      channel: { type: String, required: true },
      purpose: { type: String, required: true },
      granted: { type: Boolean, required: true },
      at: { type: Date, required: true },
      source: { type: String, required: true },
    },
    { collection: 'consentrecords', versionKey: false },
  );

  const apiKeySchema = new Schema(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      role: { type: String, required: true },
      secretHash: { type: String, required: true },
      createdBy: { type: String, required: true },
      revokedAt: Date,
    },
    { timestamps: { ...timestamps, updatedAt: false }, collection: 'apikeys', versionKey: false },
  );

  const auditEventSchema = new Schema(
    {
      _id: { type: Number, required: true }, // the sequence number: a duplicate means another writer got there first
      at: { type: Date, required: true },
      actor: { kind: { type: String, required: true }, keyId: String, role: String, staffId: String },
      action: { type: String, required: true },
      outcome: { type: String, required: true },
      status: Number,
      patientIds: [String],
      resource: { type: { type: String }, id: String },
      requestId: String,
      reason: String,
      prevHash: { type: String, required: true },
      macKeyId: String, // absent on events written before audit keys, like mac
      hash: { type: String, required: true },
      mac: String,
    },
    { collection: 'auditevents', versionKey: false },
  );

  const auditHeadSchema = new Schema(
    { _id: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } },
    { collection: 'auditheads', versionKey: false },
  );

  const contactSchema = new Schema(
    {
      _id: { type: String, required: true }, // `<channel>:<address>`: every lookup is by _id
      channel: { type: String, required: true },
      address: { type: String, required: true },
      optedOut: { type: Boolean, required: true, default: false },
      optedOutAt: Date,
      // Opt-ins so far: numbers the opt-out periods, so each period gets its own single confirmation.
      optIns: { type: Number, default: 0 },
    },
    { timestamps: { ...timestamps, createdAt: false }, collection: 'contacts', versionKey: false },
  );

  // The one STOP confirmation of an opt-out period, `<channel>:<address>#<optIns>`: created by insert, so of two
  // STOPs racing (even on two instances) exactly one is confirmed. `messageId`: the STOP it answered.
  const optOutConfirmationSchema = new Schema(
    { _id: { type: String, required: true }, messageId: { type: String, required: true } },
    { timestamps: { ...timestamps, updatedAt: false }, collection: 'optoutconfirmations', versionKey: false },
  );

  // An active patient's hold on an address, one document per address: created by insert (the unique _id
  // decides between two concurrent enrollments), deleted on release.
  const addressClaimSchema = new Schema(
    { _id: { type: String, required: true }, patientId: { type: String, required: true } },
    { timestamps: { ...timestamps, updatedAt: false }, collection: 'addressclaims', versionKey: false },
  );

  const messageSchema = new Schema(
    {
      _id: { type: String, required: true },
      direction: { type: String, required: true },
      channel: { type: String, required: true },
      address: { type: String, required: true },
      patientId: String,
      text: { type: String, default: '' },
      media: [{ _id: false, url: String, contentType: String }],
      status: { type: String, required: true },
      statusRank: { type: Number, required: true },
      providerId: String,
      errorCode: String,
      blockedReason: String,
      kind: String,
      purpose: String,
      answeredAt: Date,
    },
    { timestamps, collection: 'messages', versionKey: false },
  );

  // Unfinished message work, kept apart from the ever-growing log so recovery scans only what is pending:
  // inbound messages whose turn has not completed, and outbound ones whose delivery is not settled.
  const pendingTurnSchema = new Schema(
    {
      _id: { type: String, required: true }, // the inbound message id
      channel: { type: String, required: true },
      address: { type: String, required: true },
      providerMessageId: { type: String, required: true },
      text: { type: String, default: '' },
      media: [{ _id: false, url: String, contentType: String }],
      linkedPatientId: String,
      createdAt: { type: Date, required: true },
      claim: { type: Number, required: true },
      leaseUntil: { type: Date, required: true },
    },
    { collection: 'pendingturns', versionKey: false },
  );
  const pendingSendSchema = new Schema(
    {
      _id: { type: String, required: true }, // the outbound message id (its idempotency key)
      channel: { type: String, required: true },
      attempt: { type: Number, required: true },
      dueAt: { type: Date, required: true },
      outcomeUnknown: { type: Boolean, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'outbox', versionKey: false },
  );
  // `<work>#<n>` with a lease (turn and send claims), or a permanent claim with its owner (a provider id
  // matched to our message): created by insert, so one instance wins each.
  const messageClaimSchema = new Schema(
    { _id: { type: String, required: true }, leaseUntil: Date, owner: String },
    { collection: 'messageclaims', versionKey: false },
  );

  // Bot state: a pointer per storage key (the latest version, a hint) and one document per version, so that
  // exactly one writer can create each version (see src/bot/storage.ts for why).
  const botStateSchema = new Schema(
    { _id: { type: String, required: true }, version: { type: Number, required: true }, flowSince: { type: Date, default: null } },
    { timestamps: { ...timestamps, createdAt: false }, collection: 'botstate', versionKey: false },
  );
  const botStateVersionSchema = new Schema(
    { _id: { type: String, required: true }, data: { type: String, default: null }, emptied: Boolean },
    { timestamps: { ...timestamps, updatedAt: false }, collection: 'botstateversions', versionKey: false },
  );

  // Alerts (src/domain/alerts): `<kind>:<idempotency key>`, so a replayed message raises no second alert. The
  // timeline, decision snapshot and policy are plain data kept as the alert was raised.
  const alertSchema = new Schema(
    {
      _id: { type: String, required: true },
      kind: { type: String, required: true },
      severity: { type: String, required: true },
      status: { type: String, required: true },
      shortNumber: Number,
      patientId: String,
      careTeamId: String,
      // Older alerts kept their source message in these three top-level fields; new ones in `source`.
      channel: String,
      address: String,
      messageId: String,
      source: { type: Schema.Types.Mixed, default: undefined },
      reason: { type: String, required: true },
      decision: { type: Schema.Types.Mixed, default: undefined },
      policy: { type: Schema.Types.Mixed, default: undefined },
      teamZone: String,
      escalation: { type: Schema.Types.Mixed, default: undefined },
      timeline: { type: [Schema.Types.Mixed], default: undefined },
      acknowledgedBy: { type: Schema.Types.Mixed, default: undefined },
      acknowledgedAt: Date,
      assignedTo: String,
      resolvedBy: { type: Schema.Types.Mixed, default: undefined },
      resolvedAt: Date,
      resolution: { type: Schema.Types.Mixed, default: undefined },
      flaggedAt: Date,
    },
    { timestamps, collection: 'alerts', versionKey: false, minimize: false },
  );
  // Decisions about alerts taken once by a unique insert: `ack:<alert>#<epoch>`, `resolve:...`, `jti:<token id>`,
  // `page:<alert>#<epoch>:<step>:<staff>:<channel>` (a page handed to a channel), `staffsms:<message sid>`.
  const alertClaimSchema = new Schema(
    { _id: { type: String, required: true }, holder: { type: String, required: true } },
    { timestamps: { ...timestamps, updatedAt: false }, collection: 'alertclaims', versionKey: false },
  );
  // A short number held by an alert until it is resolved: reserved by insert, so two alerts never share one.
  const alertShortNumberSchema = new Schema(
    { _id: { type: Number, required: true }, alertId: { type: String, required: true } },
    { timestamps: { ...timestamps, updatedAt: false }, collection: 'alertshortnumbers', versionKey: false },
  );

  // Escalation rules (src/domain/escalation): the version in force, and every version by `<id>@<version>`.
  const escalationRuleSchema = new Schema(
    { _id: { type: String, required: true }, version: { type: Number, required: true }, rule: { type: Schema.Types.Mixed, required: true } },
    { timestamps, collection: 'escalationrules', versionKey: false, minimize: false },
  );
  const escalationRuleVersionSchema = new Schema(
    { _id: { type: String, required: true }, ruleId: { type: String, required: true }, version: { type: Number, required: true }, rule: { type: Schema.Types.Mixed, required: true } },
    { timestamps, collection: 'escalationruleversions', versionKey: false, minimize: false },
  );

  // One weekly on-call rotation per care team (`_id`: the team id), as the API validated it.
  const onCallRotationSchema = new Schema(
    { _id: { type: String, required: true }, rotation: { type: Schema.Types.Mixed, required: true } },
    { timestamps, collection: 'oncallrotations', versionKey: false },
  );

  // Wellbeing scores (src/domain/wellbeing); the collection keeps its name from before the rename.
  const wellbeingScoreSchema = new Schema(
    {
      patientId: { type: String, required: true },
      messageId: { type: String, required: true, unique: true },
      score: { type: Number, required: true },
      note: String,
      at: { type: Date, required: true },
    },
    { collection: 'checkins', versionKey: false },
  );

  const conversationRefSchema = new Schema(
    // `<patientId>:<channel>`: where a proactive message to this patient goes on that channel.
    { _id: { type: String, required: true }, reference: { type: String, required: true } },
    { timestamps: { ...timestamps, createdAt: false }, collection: 'conversationrefs', versionKey: false },
  );

  // Outreach jobs (src/domain/outreach): only live ones (scheduled, deferred) stay here, so the scheduler's scans
  // stay small; finished ones move to outreachhistory. Hot paths only insert and delete here: FerretDB runs an
  // update as one transaction per matched document.
  const outreachJobFields = {
    _id: { type: String, required: true }, // the job's idempotency key
    kind: { type: String, required: true },
    patientId: { type: String, required: true },
    dueAt: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, required: true },
    attempts: { type: Number, required: true, default: 0 },
    failures: { type: Number, required: true, default: 0 },
    lastError: String,
    reason: String,
  };
  const outreachJobSchema = new Schema(outreachJobFields, { timestamps, collection: 'outreachjobs', versionKey: false, minimize: false });
  outreachJobSchema.index({ dueAt: 1 });
  outreachJobSchema.index({ patientId: 1, dueAt: 1 });
  const outreachHistorySchema = new Schema(
    { ...outreachJobFields, createdAt: Date, updatedAt: Date, finishedAt: { type: Date, required: true } },
    { collection: 'outreachhistory', versionKey: false, minimize: false },
  );
  // One claim per attempt of a job, `<key>#<attempt>`: created by insert, so one instance wins each attempt.
  const outreachClaimSchema = new Schema(
    { _id: { type: String, required: true }, owner: { type: String, required: true }, leaseUntil: { type: Date, required: true } },
    { collection: 'outreachclaims', versionKey: false },
  );
  outreachClaimSchema.index({ leaseUntil: 1 });
  // One record per slot of a scheduled job, `<name>@<slot ISO>`: the instance whose insert succeeds runs it.
  const jobRunSchema = new Schema(
    { _id: { type: String, required: true }, owner: { type: String, required: true }, startedAt: { type: Date, required: true } },
    { collection: 'jobruns', versionKey: false },
  );
  jobRunSchema.index({ startedAt: 1 });

  // Medication plans (src/domain/medication): times and dates in the patient's zone; ending sets endedAt.
  const medicationPlanSchema = new Schema(
    {
      patientId: { type: String, required: true },
      displayName: { type: String, required: true },
      dose: { type: String, required: true },
      times: { type: [String], required: true },
      daysOfWeek: { type: [String], default: undefined },
      everyNDays: Number,
      startDate: { type: String, required: true },
      endDate: String,
      instructions: String,
      caregiver: { type: new Schema({ name: String, phone: String, consent: Boolean }, { _id: false }), default: undefined },
      endedAt: Date,
    },
    { timestamps, collection: 'medicationplans', versionKey: false },
  );
  medicationPlanSchema.index({ patientId: 1 });
  // One dose per plan slot, `med:<planId>:<localDate>T<HH:MM>`: created by insert, so recorded once.
  const doseSchema = new Schema(
    {
      _id: { type: String, required: true },
      planId: { type: String, required: true },
      patientId: { type: String, required: true },
      localDate: { type: String, required: true },
      localTime: { type: String, required: true },
      at: { type: Date, required: true },
      status: { type: String, required: true },
      remindedAt: Date,
      answeredAt: Date,
      snoozedUntil: Date,
      history: [{ _id: false, status: { type: String, required: true }, at: { type: Date, required: true } }],
    },
    { timestamps, collection: 'doses', versionKey: false },
  );
  doseSchema.index({ patientId: 1, at: 1 });
  doseSchema.index({ planId: 1, at: 1 });

  // Post-op protocols (src/domain/postop): one document per version, `<id>@<version>`, never changed once stored.
  const postopProtocolSchema = new Schema(
    {
      _id: { type: String, required: true },
      protocolId: { type: String, required: true },
      version: { type: Number, required: true },
      protocol: { type: Schema.Types.Mixed, required: true },
      createdBy: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'postopprotocols', versionKey: false, minimize: false },
  );
  const postopEnrolmentSchema = new Schema(
    {
      patientId: { type: String, required: true },
      procedure: { type: String, required: true },
      surgeryDate: { type: String, required: true },
      protocolId: { type: String, required: true },
      protocolVersion: { type: Number, required: true },
      channel: { type: String, required: true },
      endedAt: Date,
    },
    { timestamps, collection: 'postopenrolments', versionKey: false },
  );
  // A patient's one active enrolment, `_id` = the patient id: created by insert, so of two enrolments racing one wins.
  const postopActiveSchema = new Schema(
    { _id: { type: String, required: true }, enrolmentId: { type: String, required: true } },
    { collection: 'postopactive', versionKey: false },
  );
  // One check-in per enrolment and protocol day, `postop:<enrolmentId>:d<day>`, created when it was sent.
  const postopCheckInSchema = new Schema(
    {
      _id: { type: String, required: true },
      enrolmentId: { type: String, required: true },
      patientId: { type: String, required: true },
      day: { type: Number, required: true },
      localDate: { type: String, required: true },
      protocolId: { type: String, required: true },
      protocolVersion: { type: Number, required: true },
      channel: { type: String, required: true },
      status: { type: String, required: true },
      sentAt: { type: Date, required: true },
      remindedAt: Date,
      finishedAt: Date,
      answers: { type: [Schema.Types.Mixed], default: [] },
      facts: { type: Schema.Types.Mixed, default: {} },
      redFlags: { type: [Schema.Types.Mixed], default: [] },
    },
    { collection: 'postopcheckins', versionKey: false, minimize: false },
  );
  postopCheckInSchema.index({ patientId: 1, sentAt: 1 });

  // Console sign-in: one account per staff member (_id: staffId), its sessions (_id: SHA-256 of the cookie's
  // token) and used invite tokens (_id: the token's jti).
  const staffAccountSchema = new Schema(
    {
      _id: { type: String, required: true },
      username: { type: String, required: true },
      passwordHash: { type: String, required: true },
      totpSecret: { type: String, required: true },
      lastTotpStep: { type: Number, required: true },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
    },
    { collection: 'staffaccounts', versionKey: false },
  );
  staffAccountSchema.index({ username: 1 }, { unique: true });
  const consoleSessionSchema = new Schema(
    {
      _id: { type: String, required: true },
      staffId: { type: String, required: true },
      csrf: { type: String, required: true },
      createdAt: { type: Date, required: true },
      lastSeenAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
      revokedAt: Date,
    },
    { collection: 'consolesessions', versionKey: false },
  );
  consoleSessionSchema.index({ staffId: 1 });
  // Single-use console tokens by id once used: invitations, and passkey challenges (the collection kept its first name).
  const staffInviteSchema = new Schema(
    { _id: { type: String, required: true }, staffId: { type: String, required: true }, usedAt: { type: Date, required: true } },
    { collection: 'staffinvites', versionKey: false },
  );
  const staffPasskeySchema = new Schema(
    {
      _id: { type: String, required: true },
      staffId: { type: String, required: true },
      name: { type: String, required: true },
      publicKey: { type: String, required: true },
      counter: { type: Number, required: true },
      transports: [String],
      createdAt: { type: Date, required: true },
      lastUsedAt: Date,
    },
    { collection: 'staffpasskeys', versionKey: false },
  );
  staffPasskeySchema.index({ staffId: 1 });

  return {
    Contact: connection.model('Contact', contactSchema),
    AddressClaim: connection.model('AddressClaim', addressClaimSchema),
    OptOutConfirmation: connection.model('OptOutConfirmation', optOutConfirmationSchema),
    Message: connection.model('Message', messageSchema),
    PendingTurn: connection.model('PendingTurn', pendingTurnSchema),
    PendingSend: connection.model('PendingSend', pendingSendSchema),
    MessageClaim: connection.model('MessageClaim', messageClaimSchema),
    BotState: connection.model('BotState', botStateSchema),
    BotStateVersion: connection.model('BotStateVersion', botStateVersionSchema),
    Alert: connection.model('Alert', alertSchema),
    AlertClaim: connection.model('AlertClaim', alertClaimSchema),
    AlertShortNumber: connection.model('AlertShortNumber', alertShortNumberSchema),
    OnCallRotation: connection.model('OnCallRotation', onCallRotationSchema),
    EscalationRule: connection.model('EscalationRule', escalationRuleSchema),
    EscalationRuleVersion: connection.model('EscalationRuleVersion', escalationRuleVersionSchema),
    WellbeingScore: connection.model('WellbeingScore', wellbeingScoreSchema),
    ConversationRef: connection.model('ConversationRef', conversationRefSchema),
    Patient: connection.model('Patient', patientSchema),
    CareTeam: connection.model('CareTeam', careTeamSchema),
    Staff: connection.model('Staff', staffSchema),
    ConsentRecord: connection.model('ConsentRecord', consentRecordSchema),
    ApiKey: connection.model('ApiKey', apiKeySchema),
    AuditEvent: connection.model('AuditEvent', auditEventSchema),
    AuditHead: connection.model('AuditHead', auditHeadSchema),
    OutreachJob: connection.model('OutreachJob', outreachJobSchema),
    OutreachHistory: connection.model('OutreachHistory', outreachHistorySchema),
    OutreachClaim: connection.model('OutreachClaim', outreachClaimSchema),
    JobRun: connection.model('JobRun', jobRunSchema),
    MedicationPlan: connection.model('MedicationPlan', medicationPlanSchema),
    Dose: connection.model('Dose', doseSchema),
    PostopProtocol: connection.model('PostopProtocol', postopProtocolSchema),
    PostopEnrolment: connection.model('PostopEnrolment', postopEnrolmentSchema),
    PostopActive: connection.model('PostopActive', postopActiveSchema),
    PostopCheckIn: connection.model('PostopCheckIn', postopCheckInSchema),
    StaffAccount: connection.model('StaffAccount', staffAccountSchema),
    ConsoleSession: connection.model('ConsoleSession', consoleSessionSchema),
    StaffInvite: connection.model('StaffInvite', staffInviteSchema),
    StaffPasskey: connection.model('StaffPasskey', staffPasskeySchema),
  };
}

export type Models = ReturnType<typeof defineModels>;

/** Our own operator filters pass sanitizeFilter only when marked trusted; callers' filters never are. */
export const trusted = mongoose.trusted;
