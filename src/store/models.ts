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
      // Unique among active patients without a partial index: the phone while active, a per-patient
      // placeholder once deactivated, so a deactivated patient's number can be enrolled again.
      phoneKey: { type: String, required: true, unique: true },
      timeZone: { type: String, required: true },
      language: { type: String, required: true },
      dateOfBirth: { type: String, required: true },
      careTeamId: { type: String, required: true },
      consent: { sms: channelConsent, webchat: channelConsent },
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
      actor: { kind: { type: String, required: true }, keyId: String, role: String },
      action: { type: String, required: true },
      outcome: { type: String, required: true },
      status: Number,
      patientIds: [String],
      resource: { type: { type: String }, id: String },
      requestId: String,
      reason: String,
      prevHash: { type: String, required: true },
      hash: { type: String, required: true },
    },
    { collection: 'auditevents', versionKey: false },
  );

  const auditHeadSchema = new Schema(
    { _id: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } },
    { collection: 'auditheads', versionKey: false },
  );

  return {
    Patient: connection.model('Patient', patientSchema),
    CareTeam: connection.model('CareTeam', careTeamSchema),
    Staff: connection.model('Staff', staffSchema),
    ConsentRecord: connection.model('ConsentRecord', consentRecordSchema),
    ApiKey: connection.model('ApiKey', apiKeySchema),
    AuditEvent: connection.model('AuditEvent', auditEventSchema),
    AuditHead: connection.model('AuditHead', auditHeadSchema),
  };
}

export type Models = ReturnType<typeof defineModels>;

/** Our own operator filters pass sanitizeFilter only when marked trusted; callers' filters never are. */
export const trusted = mongoose.trusted;
