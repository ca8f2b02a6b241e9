import type { MedicationService } from '../src/domain/medication/service.js';
import type { Job } from './job.js';

export interface MedicationDosesContext {
  medication: Pick<MedicationService, 'scheduleActivePlans'>;
}

/**
 * Every 15 minutes: records the doses of every active plan for the next 48 hours and schedules one
 * `medication_reminder` job per dose slot after now (its key is the dose key, its `dueAt` already past the
 * patient's quiet hours). Slots already recorded or scheduled are left as they are, so runs on several
 * instances, or overlapping a plan change, never duplicate one. A constant number of queries per run.
 */
export const medicationDoses: Job<MedicationDosesContext> = {
  name: 'medication-doses',
  cron: '0 */15 * * * *',
  run: ({ medication, clock }) => medication.scheduleActivePlans(clock.now()),
};
