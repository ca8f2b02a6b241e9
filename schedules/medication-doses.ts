import type { DoseOutreach } from '../src/domain/medication/outreach.js';
import type { MedicationService } from '../src/domain/medication/service.js';
import type { Job } from './job.js';

export interface MedicationDosesContext {
  medication: Pick<MedicationService, 'scheduleActivePlans'>;
  doseOutreach: Pick<DoseOutreach, 'settleStale'>;
}

/**
 * Every 15 minutes: records the doses of every active plan for the next 48 hours and schedules one
 * `medication_reminder` job per dose slot after now (its key is the dose key, its `dueAt` already past the
 * patient's quiet hours). Slots already recorded or scheduled are left as they are, so runs on several
 * instances, or overlapping a plan change, never duplicate one. A constant number of queries per 1,000 plans. Then
 * settles doses still unanswered a day after their slot (their follow-ups were lost to a long downtime). A
 * stopping process stops between rounds and leaves the rest to the next run.
 */
export const medicationDoses: Job<MedicationDosesContext> = {
  name: 'medication-doses',
  cron: '0 */15 * * * *',
  run: async ({ medication, doseOutreach, clock, signal }) => ({ ...(await medication.scheduleActivePlans(clock.now(), signal)), ...(await doseOutreach.settleStale(clock.now(), signal)) }),
};
