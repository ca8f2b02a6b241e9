import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { requireActiveCareTeam, type CareTeamRepository } from '../careteams/careteams.js';
import type { Actor, Page } from '../common.js';
import { applyConsent, type Channel, type ConsentRecord } from '../consent/consent.js';
import type { ConsentLog, Patient, PatientRepository } from './ports.js';
import type { PatientCreate, PatientListQuery, PatientUpdate, PatientView } from './schema.js';

/** Enrollment and upkeep of patients: the rules around the repository (care team exists, consent recorded). */
export class PatientService {
  constructor(
    private readonly deps: { patients: PatientRepository; consent: ConsentLog; careTeams: CareTeamRepository; clock: Clock },
  ) {}

  async create(input: PatientCreate, actor: Actor): Promise<Patient> {
    await requireActiveCareTeam(this.deps.careTeams, input.careTeamId);
    const now = this.deps.clock.now();
    const { consent: consentInput, ...fields } = input;
    const { consent, records } = applyConsent('', {}, consentInput, now, `api:${actor.keyId}`);
    const patient = await this.deps.patients.create({ ...fields, consent });
    await this.deps.consent.append(records.map((record) => ({ ...record, patientId: patient.id })));
    return patient;
  }

  async get(id: string): Promise<Patient> {
    const patient = await this.deps.patients.get(id);
    if (!patient) throw notFound('patient');
    return patient;
  }

  async update(id: string, patch: PatientUpdate, actor: Actor): Promise<Patient> {
    const current = await this.get(id);
    if (patch.careTeamId && patch.careTeamId !== current.careTeamId) await requireActiveCareTeam(this.deps.careTeams, patch.careTeamId);
    const { consent: consentInput, ...fields } = patch;
    const { consent, records } = applyConsent(id, current.consent, consentInput, this.deps.clock.now(), `api:${actor.keyId}`);
    const updated = await this.deps.patients.update(id, consentInput ? { ...fields, consent } : fields);
    if (!updated) throw notFound('patient');
    await this.deps.consent.append(records);
    return updated;
  }

  list(query: PatientListQuery): Promise<Page<Patient>> {
    const { limit, cursor, ...filter } = query;
    return this.deps.patients.list(filter, { limit, cursor });
  }

  /**
   * Grants or revokes one channel for every purpose on the patient's own word (STOP / START by SMS, a carrier
   * opt-out), recording the source.
   */
  async recordChannelConsent(id: string, channel: Channel, granted: boolean, source: string): Promise<void> {
    const current = await this.get(id);
    const { consent, records } = applyConsent(id, current.consent, { [channel]: granted }, this.deps.clock.now(), source);
    await this.deps.patients.update(id, { consent });
    await this.deps.consent.append(records);
  }

  async setActive(id: string, active: boolean): Promise<Patient> {
    const patient = await this.deps.patients.setActive(id, active);
    if (!patient) throw notFound('patient');
    return patient;
  }

  async consentHistory(id: string): Promise<{ patient: Patient; records: ConsentRecord[] }> {
    const patient = await this.get(id);
    return { patient, records: await this.deps.consent.history(id) };
  }

}

/** The patient as the API shows it: consent as one yes/no per channel (purposes via the consent endpoint). */
export function toPatientView(patient: Patient): PatientView {
  return {
    id: patient.id,
    name: patient.name,
    phone: patient.phone,
    timeZone: patient.timeZone,
    language: patient.language,
    dateOfBirth: patient.dateOfBirth,
    careTeamId: patient.careTeamId,
    consent: { sms: patient.consent.sms?.granted ?? false, webchat: patient.consent.webchat?.granted ?? false },
    quietHours: patient.quietHours ?? null,
    active: patient.active,
    createdAt: patient.createdAt.toISOString(),
    updatedAt: patient.updatedAt.toISOString(),
  };
}
