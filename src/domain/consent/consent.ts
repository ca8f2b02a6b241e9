import { z } from 'zod';

/** Channels a patient can be reached on. */
export const CHANNELS = ['sms', 'webchat'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a message is for; consent is recorded per channel and purpose (TCPA/HIPAA minimum-necessary habits). */
export const PURPOSES = ['medication_reminders', 'postop_checkins', 'education', 'symptom_check', 'care_team_messages'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** API input for one channel: `true`/`false` for every purpose, or the purposes granted. */
export const channelConsentInput = z.union([
  z.boolean(),
  z.strictObject({ granted: z.boolean(), purposes: z.array(z.enum(PURPOSES)).min(1).optional() }),
]);
export const consentInputSchema = z.strictObject({ sms: channelConsentInput.optional(), webchat: channelConsentInput.optional() });
export type ConsentInput = z.infer<typeof consentInputSchema>;

/** The current consent for one channel. */
export interface ChannelConsent {
  granted: boolean;
  purposes: Purpose[];
  at: Date;
  source: string;
}

/** One recorded consent decision: append-only history kept beside the patient's current state. */
export interface ConsentRecord {
  patientId: string;
  channel: Channel;
  purpose: Purpose;
  granted: boolean;
  at: Date;
  /** How it was given: `api:<keyId>`, later `sms:keyword` and the like. */
  source: string;
}

/**
 * Turns API input into the current per-channel consent and the records that document each change.
 * Channels not mentioned keep their current state.
 */
export function applyConsent(
  patientId: string,
  current: Partial<Record<Channel, ChannelConsent>>,
  input: ConsentInput | undefined,
  at: Date,
  source: string,
): { consent: Partial<Record<Channel, ChannelConsent>>; records: ConsentRecord[] } {
  const consent = { ...current };
  const records: ConsentRecord[] = [];
  for (const channel of CHANNELS) {
    const given = input?.[channel];
    if (given === undefined) continue;
    const granted = typeof given === 'boolean' ? given : given.granted;
    const purposes: Purpose[] = granted ? (typeof given === 'object' && given.purposes ? [...new Set(given.purposes)] : [...PURPOSES]) : [];
    consent[channel] = { granted, purposes, at, source };
    for (const purpose of PURPOSES) {
      const before = current[channel]?.purposes.includes(purpose) ?? false;
      const after = purposes.includes(purpose);
      if (before !== after || !current[channel]) records.push({ patientId, channel, purpose, granted: after, at, source });
    }
  }
  return { consent, records };
}
