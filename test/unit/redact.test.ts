import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from '../../src/lib/redact.js';

describe('redactText', () => {
  it.each([
    '+15551234567',
    '+1 555 123 4567',
    '+44 20 7946 0958',
    '(555) 123-4567',
    '555.123.4567',
    '555-123-4567',
    '5551234567',
    '555 1234',
  ])('removes the phone number %s from free text', (phone) => {
    const redacted = redactText(`could not text ${phone}: carrier rejected`);
    expect(redacted).toContain('[phone]');
    expect(redacted).not.toMatch(/\d/);
    expect(redacted).toMatch(/^could not text .*: carrier rejected$/);
  });

  it.each(['ana.lopez@example.com', 'ana+careloop@mail.example.org'])('removes the e-mail address %s', (email) => {
    expect(redactText(`bounced for ${email} today`)).toBe('bounced for [email] today');
  });

  it('removes several numbers and addresses in one text', () => {
    const redacted = redactText('from +15551234567 to 555-987-6543, cc ana@example.com');
    expect(redacted).toBe('from [phone] to [phone], cc [email]');
  });

  it.each([
    'connect ECONNREFUSED 127.0.0.1',
    'listening on 10.0.0.12 now',
    'reminder in 30 minutes',
    'the year 2026',
    'port 27017 closed',
    'retry 3 of 5',
    'status 503',
  ])('keeps %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('removes the user and password of a connection string, whatever its host', () => {
    expect(redactText('connect ECONNREFUSED mongodb://careloop:s3cr%40t@localhost:27017/careloop')).toBe('connect ECONNREFUSED mongodb://[credentials]@localhost:27017/careloop');
    expect(redactText('postgres://admin:pw@db.internal.example.org/careloop failed')).toBe('postgres://[credentials]@db.internal.example.org/careloop failed');
  });

  it('leaves text without PHI alone', () => {
    expect(redactText('')).toBe('');
    expect(redactText('patient abc enrolled')).toBe('patient abc enrolled');
  });
});

describe('redactUrl', () => {
  it('keeps the path and parameter names but drops their values', () => {
    expect(redactUrl('/api/v1/patients?phone=%2B15551234567&name=Ana&limit=25')).toBe('/api/v1/patients?phone=[redacted]&name=[redacted]&limit=[redacted]');
  });

  it('keeps decoded names that look like parameter names, and hides any other name', () => {
    expect(redactUrl('/search?careTeam%5Bid%5D=1')).toBe('/search?careTeam[id]=[redacted]');
    expect(redactUrl('/search?first%20name=Ana')).toBe('/search?[redacted]=[redacted]');
    expect(redactUrl('/api/v1/patients?+15551234567')).toBe('/api/v1/patients?[redacted]=[redacted]');
  });

  it('hides a malformed name instead of throwing', () => {
    expect(redactUrl('/search?%E0%A4%A=1')).toBe('/search?[redacted]=[redacted]');
  });

  it('returns the path unchanged when there is no query', () => {
    expect(redactUrl('/api/v1/patients/abc')).toBe('/api/v1/patients/abc');
    expect(redactUrl('/api/v1/patients?')).toBe('/api/v1/patients');
  });

  it('drops everything after a second question mark', () => {
    const redacted = redactUrl('/x?phone=1?email=ana@example.com');
    expect(redacted).toBe('/x?phone=[redacted]');
  });

  it('marks every parameter, with or without a value', () => {
    expect(redactUrl('/x?a=&b')).toBe('/x?a=[redacted]&b=[redacted]');
    expect(redactUrl('/x?token=abc123')).not.toContain('abc123');
  });
});
