import { describe, expect, it } from 'vitest';
import { languageSchema, phoneSchema, timeZoneSchema } from '../../src/domain/common.js';
import { patientCreateSchema, patientUpdateSchema } from '../../src/domain/patients/schema.js';

const validPatient = {
  name: 'Ana Lopez',
  phone: '+15551234567',
  timeZone: 'America/New_York',
  dateOfBirth: '1980-05-17',
  careTeamId: '0123456789abcdef01234567',
};

/** A date `days` from today (UTC), as YYYY-MM-DD. */
function isoDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('phoneSchema', () => {
  it.each(['+15551234567', '+447911123456', '+4930123456', '+861012345678901'])('accepts E.164 %s', (phone) => {
    expect(phoneSchema.safeParse(phone).success).toBe(true);
  });

  it.each([
    ['no plus', '5551234567'],
    ['spaces', '+1 555 123 4567'],
    ['dashes', '+1-555-123-4567'],
    ['leading zero country code', '+0123456789'],
    ['too short', '+1555123'],
    ['too long', '+1234567890123456'],
    ['letters', '+1555CALLNOW'],
    ['query operator object', { $gt: '' }],
    ['number', 15551234567],
  ])('rejects %s', (_case, phone) => {
    expect(phoneSchema.safeParse(phone).success).toBe(false);
  });
});

describe('timeZoneSchema', () => {
  it.each(['America/New_York', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/UTC', 'UTC'])('accepts %s', (zone) => {
    expect(timeZoneSchema.safeParse(zone).success).toBe(true);
  });

  // Intent: an IANA Area/Location name, or UTC. Legacy zones without a slash are refused even where Intl knows them.
  it.each(['Mars/Base', 'EST5EDT', 'EST', 'GMT', 'utc', '+01:00', '', 'New_York'])('rejects %s', (zone) => {
    expect(timeZoneSchema.safeParse(zone).success).toBe(false);
  });
});

describe('languageSchema', () => {
  it.each(['en', 'es', 'es-MX', 'pt-BR', 'zh-Hant-TW'])('accepts %s', (tag) => {
    expect(languageSchema.safeParse(tag).success).toBe(true);
  });

  it.each(['english!!', 'en_US', '', 'x', `en-${'a'.repeat(40)}`])('rejects %j', (tag) => {
    expect(languageSchema.safeParse(tag).success).toBe(false);
  });
});

describe('patientCreateSchema', () => {
  it('accepts a valid patient and defaults language and consent', () => {
    const parsed = patientCreateSchema.parse(validPatient);
    expect(parsed.language).toBe('en');
    expect(parsed.consent).toEqual({});
  });

  it('trims the name', () => {
    expect(patientCreateSchema.parse({ ...validPatient, name: '  Ana  ' }).name).toBe('Ana');
  });

  it('rejects unknown keys', () => {
    const result = patientCreateSchema.safeParse({ ...validPatient, ssn: '123-45-6789' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it.each(['name', 'phone', 'timeZone', 'dateOfBirth', 'careTeamId'])('requires %s', (field) => {
    const result = patientCreateSchema.safeParse({ ...validPatient, [field]: undefined });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toContain(field);
  });

  it.each([
    ['tomorrow', isoDate(1)],
    ['before 1900', '1899-12-31'],
    ['not a calendar date', '2021-02-29'],
    ['not ISO', '05/17/1980'],
  ])('rejects a date of birth %s', (_case, dateOfBirth) => {
    expect(patientCreateSchema.safeParse({ ...validPatient, dateOfBirth }).success).toBe(false);
  });

  it.each([
    ['1900-01-01', '1900-01-01'],
    ['a leap day', '2024-02-29'],
    ['today', isoDate(0)],
  ])('accepts a date of birth on %s', (_case, dateOfBirth) => {
    expect(patientCreateSchema.safeParse({ ...validPatient, dateOfBirth }).success).toBe(true);
  });

  it('rejects consent for an unknown channel', () => {
    expect(patientCreateSchema.safeParse({ ...validPatient, consent: { email: true } }).success).toBe(false);
  });
});

describe('patientUpdateSchema', () => {
  it('rejects an empty object', () => {
    const result = patientUpdateSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected at least one field to change');
  });

  it('accepts one field and adds no defaults', () => {
    expect(patientUpdateSchema.parse({ name: 'Ana B' })).toEqual({ name: 'Ana B' });
  });

  it('validates the fields it is given and rejects unknown ones', () => {
    expect(patientUpdateSchema.safeParse({ phone: '5551234567' }).success).toBe(false);
    expect(patientUpdateSchema.safeParse({ active: false }).success).toBe(false);
  });
});
