import { ApiKeyService } from '../domain/auth/service.js';
import { CareTeamService, StaffService } from '../domain/directory.js';
import { PatientService } from '../domain/patients/service.js';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';

/**
 * The services over CareLoop's records (patients, care teams, staff, API keys, the audit log), with none of the
 * conversation machinery: the CLI takes these alone, since loading the dialogs costs seconds per command.
 */
export function buildRecordServices(db: Database, clock: Clock) {
  const repos = db.repositories;
  return {
    patients: new PatientService({ patients: repos.patients, consent: repos.consent, careTeams: repos.careTeams, clock }),
    careTeams: new CareTeamService(repos.careTeams),
    staff: new StaffService(repos.staff, repos.careTeams),
    apiKeys: new ApiKeyService(repos.apiKeys, clock),
    audit: repos.audit,
  };
}

export type RecordServices = ReturnType<typeof buildRecordServices>;
