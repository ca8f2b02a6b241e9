import type { Clock } from '../../lib/clock.js';
import type { AlertRepository } from '../alerts/alerts.js';
import type { MessageChannel } from '../messaging/types.js';
import type { Patient } from '../patients/ports.js';

/** A patient's answer to "how are you feeling today?" (0 very bad to 10 very well) with an optional note. */
export interface Checkin {
  patientId: string;
  messageId: string;
  score: number;
  note?: string;
  at: Date;
}

export interface CheckinRepository {
  /** Idempotent per message: false when this message was already recorded. */
  record(checkin: Checkin): Promise<boolean>;
}

/** At or below this score the care team gets a routine alert to look at the patient. */
export const LOW_WELLBEING_SCORE = 3;

/** Records check-ins and flags low scores for the care team. */
export class CheckinService {
  constructor(private readonly deps: { checkins: CheckinRepository; alerts: AlertRepository; clock: Clock }) {}

  async record(input: { patient: Patient; channel: MessageChannel; address: string; messageId: string; score: number; note?: string }): Promise<{ flagged: boolean }> {
    const { patient, channel, address, messageId, score, note } = input;
    await this.deps.checkins.record({ patientId: patient.id, messageId, score, note, at: this.deps.clock.now() });
    const flagged = score <= LOW_WELLBEING_SCORE;
    if (flagged) {
      await this.deps.alerts.raise({
        kind: 'checkin_low', severity: 'routine', patientId: patient.id, careTeamId: patient.careTeamId,
        channel, address, messageId, reason: `wellbeing score ${score} of 10`,
      });
    }
    return { flagged };
  }
}
