import type { AlertService } from '../src/domain/alerts/service.js';
import type { Job } from './job.js';

export interface AlertEscalationsContext {
  alerts: Pick<AlertService, 'startUnescalated'>;
}

/**
 * Every 5 minutes: open alerts stored before escalation existed (an upgraded deployment) are started like a new
 * alert, so none waits in a list that nobody is paged about. One query when there are none (the usual case).
 */
export const alertEscalations: Job<AlertEscalationsContext> = {
  name: 'alert-escalations',
  cron: '0 */5 * * * *',
  run: ({ alerts }) => alerts.startUnescalated(),
};
