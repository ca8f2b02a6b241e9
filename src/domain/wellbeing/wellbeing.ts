import type { Clock } from '../../lib/clock.js';
import type { AlertRaiser } from '../alerts/service.js';
import type { MessageChannel } from '../messaging/types.js';
import type { Patient } from '../patients/ports.js';

/**
 * A patient's answer to "how are you feeling today?" (0 very bad to 10 very well) with an optional note. Named
 * "wellbeing" so it is never confused with the post-op wound check-in (src/domain/postop).
 */
export interface WellbeingScore {
  patientId: string;
  messageId: string;
  score: number;
  note?: string;
  at: Date;
}

export interface WellbeingRepository {
  /** Idempotent per message: false when this message was already recorded. */
  record(entry: WellbeingScore): Promise<boolean>;
}

/** At or below this score the care team gets a normal alert to look at the patient. */
export const LOW_WELLBEING_SCORE = 3;

/** Records wellbeing scores and flags low ones for the care team. */
export class WellbeingService {
  constructor(private readonly deps: { scores: WellbeingRepository; alerts: AlertRaiser; clock: Clock }) {}

  async record(input: { patient: Patient; channel: MessageChannel; address: string; messageId: string; score: number; note?: string }): Promise<{ flagged: boolean }> {
    const { patient, channel, address, messageId, score, note } = input;
    await this.deps.scores.record({ patientId: patient.id, messageId, score, note, at: this.deps.clock.now() });
    const flagged = score <= LOW_WELLBEING_SCORE;
    if (flagged) {
      await this.deps.alerts.raise({
        kind: 'wellbeing_low', severity: 'normal', idempotencyKey: messageId, patientId: patient.id, careTeamId: patient.careTeamId,
        source: { channel, address, messageId }, reason: `wellbeing score ${score} of 10`, facts: { score },
      });
    }
    return { flagged };
  }
}
