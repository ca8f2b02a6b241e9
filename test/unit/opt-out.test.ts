import { describe, expect, it } from 'vitest';
import { OptOutService } from '../../src/domain/consent/opt-out.js';
import type { ContactDirectory } from '../../src/domain/messaging/ports.js';
import type { MessageChannel } from '../../src/domain/messaging/types.js';
import { detectOptOutRequest, looksLikeOptOutRequest } from '../../src/domain/safety/opt-out-request.js';
import { fixedClock } from '../../src/lib/clock.js';

describe('plain-language opt-outs (FCC 2024: any reasonable means)', () => {
  it.each([
    'please stop texting me',
    'dont text me anymore',
    'unsubscribe me',
    'remove me from this list',
    "I don't want these messages",
    'Stop txting me!!',
    'quit messaging me',
    'can you stop sending me these reminders?',
    'how do I unsubscribe?',
    'I never signed up for this, stop texting me',
    'please stop',
    'leave me alone',
    'you have the wrong number',
    'Please remove me from your messaging list',
    'do not contact me again',
    'I no longer want to receive messages',
    'stop all these stupid texts',
    'delete my number',
    'i dont need these reminders anymore',
    'opt-out please',
    'no me envien mas mensajes',
  ])('%j opts out', (text) => {
    expect(detectOptOutRequest(text)).toBe('opt_out');
    expect(looksLikeOptOutRequest(text)).toBe(true);
  });

  it.each([
    'how do I stop the bleeding',
    'can you stop by',
    'stop taking my medicine?',
    'how do I stop this pain',
    'my nose wont stop bleeding',
    'please dont stop texting me',
    'i dont want to unsubscribe',
    'I stopped my blood thinner',
    'I want to stop smoking',
    'when can I stop the antibiotics',
    'my husband wont leave me alone, he keeps yelling',
    'I called the wrong number earlier',
    'the reminder was helpful, thanks',
    'can you text me the address',
    'I need to cancel my appointment',
    'i cant stop coughing',
    'text me when the results are in',
    'keep the reminders coming',
  ])('%j does not', (text) => {
    expect(detectOptOutRequest(text)).toBeUndefined();
    expect(looksLikeOptOutRequest(text)).toBe(false);
  });

  // Decision: a request that limits itself still wants some messages. Stopping all would be wrong and we
  // cannot stop only some, so the patient is told how to stop all and the care team is asked to change the rest.
  it.each([
    'stop the reminders for my old inhaler',
    'stop texting me at work, text after 5',
    'dont text me before 9am',
    'stop my inhaler reminders',
    'stop texting my wife',
    'no more reminders for the antibiotics, I finished them',
    'stop sending me messages on weekends',
    'stop texting me so early',
  ])('%j asks to stop only some messages', (text) => {
    expect(detectOptOutRequest(text)).toBe('partial');
    expect(looksLikeOptOutRequest(text)).toBe(false);
  });
});

describe('the one opt-out path', () => {
  function setup(known?: string) {
    const contacts = new Map<string, boolean>();
    const consent: [string, string, boolean, string][] = [];
    const directory: ContactDirectory = {
      get: async (channel, address) => ({ patientId: known, optedOut: contacts.get(`${channel}:${address}`) ?? false }),
      isOptedOut: async (channel, address) => contacts.get(`${channel}:${address}`) ?? false,
      optedOutAmong: async (channel, addresses) => new Set(addresses.filter((address) => contacts.get(`${channel}:${address}`))),
      setOptedOut: async (channel: MessageChannel, address, optedOut) => void contacts.set(`${channel}:${address}`, optedOut),
      claimOptOutConfirmation: async () => true, // the real claim is tested on the database (opt-out-sms.test.ts)
    };
    const patients = { recordChannelConsent: async (id: string, channel: string, granted: boolean, source: string) => void consent.push([id, channel, granted, source]) };
    return { service: new OptOutService({ contacts: directory, patients, clock: fixedClock(new Date('2026-03-10T15:00:00Z')) }), contacts, consent };
  }

  it('marks the address and revokes the channel consent, saying how', async () => {
    const { service, contacts, consent } = setup();
    await service.optOut({ channel: 'sms', address: '+15550001', patientId: 'p1' }, 'request');
    expect(contacts.get('sms:+15550001')).toBe(true);
    expect(await service.isOptedOut('sms', '+15550001')).toBe(true);
    expect(consent).toEqual([['p1', 'sms', false, 'sms:request']]);
    await service.optIn({ channel: 'sms', address: '+15550001', patientId: 'p1' }, 'keyword');
    expect(consent.at(-1)).toEqual(['p1', 'sms', true, 'sms:keyword']);
    expect(await service.isOptedOut('sms', '+15550001')).toBe(false);
  });

  it('finds the patient of a carrier opt-out from the address, and records an unknown number too', async () => {
    const known = setup('p7');
    await known.service.optOut({ channel: 'sms', address: '+15550007' }, 'carrier');
    expect(known.consent).toEqual([['p7', 'sms', false, 'sms:carrier']]);
    const stranger = setup();
    await stranger.service.optOut({ channel: 'sms', address: '+15550008' }, 'keyword');
    expect(stranger.contacts.get('sms:+15550008')).toBe(true);
    expect(stranger.consent).toEqual([]);
  });

  it('keeps no consent for Teams, but still blocks the address', async () => {
    const { service, contacts, consent } = setup();
    await service.optOut({ channel: 'botframework', address: 'conv-1', patientId: 'p1' }, 'keyword');
    expect(contacts.get('botframework:conv-1')).toBe(true);
    expect(consent).toEqual([]);
  });
});
