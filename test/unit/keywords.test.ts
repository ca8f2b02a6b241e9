import { describe, expect, it } from 'vitest';
import {
  AMBIGUOUS_OPT_IN_KEYWORDS,
  HANDOFF_KEYWORDS,
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  TWILIO_OPT_OUT_KEYWORDS,
  detectHandoffRequest,
  detectOptKeyword,
  isAmbiguousStartKeyword,
  isStartKeyword,
  keywordForm,
} from '../../src/domain/safety/keywords.js';
import { looksLikeOptOutRequest } from '../../src/domain/safety/opt-out-request.js';

describe('keyword lists', () => {
  it('follow Twilio\'s documented defaults', () => {
    expect([...TWILIO_OPT_OUT_KEYWORDS].sort()).toEqual(['CANCEL', 'END', 'OPTOUT', 'QUIT', 'REVOKE', 'STOP', 'STOPALL', 'UNSUBSCRIBE']);
    expect(OPT_IN_KEYWORDS).toEqual(['START', 'UNSTOP', 'YES']);
    expect(HELP_KEYWORDS).toEqual(['HELP', 'INFO']);
    expect(AMBIGUOUS_OPT_IN_KEYWORDS).toEqual(['YES']);
  });

  it('honour every Twilio opt-out keyword, plus the FCC\'s spaced "opt out"', () => {
    for (const keyword of TWILIO_OPT_OUT_KEYWORDS) expect(OPT_OUT_KEYWORDS).toContain(keyword);
    expect(OPT_OUT_KEYWORDS).toContain('OPT OUT');
  });

  it('are recognised as whole messages in every case', () => {
    for (const keyword of OPT_OUT_KEYWORDS) expect(detectOptKeyword(keyword.toLowerCase())).toBe('stop');
    for (const keyword of OPT_IN_KEYWORDS) expect(detectOptKeyword(keyword.toLowerCase())).toBe('start');
    for (const keyword of HELP_KEYWORDS) expect(detectOptKeyword(keyword.toLowerCase())).toBe('help');
    for (const keyword of HANDOFF_KEYWORDS) expect(detectHandoffRequest(keyword.toLowerCase())).toBe(true);
  });
});

describe('detectOptKeyword', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    [' Stop. ', 'stop'],
    ['STOP!!', 'stop'],
    ['"stop"', 'stop'],
    ['stop 🛑', 'stop'],
    ['ＳＴＯＰ', 'stop'],
    ['\tstop\n', 'stop'],
    ['StopAll', 'stop'],
    ['stop all', 'stop'],
    ['Unsubscribe', 'stop'],
    ['end', 'stop'],
    ['Quit.', 'stop'],
    ['cancel', 'stop'],
    ['REVOKE', 'stop'],
    ['optout', 'stop'],
    ['opt out', 'stop'],
    ['Opt-Out', 'stop'],
    ['start', 'start'],
    ['UNSTOP', 'start'],
    ['yes', 'start'],
    ['Yes!', 'start'],
    ['help', 'help'],
    ['HELP?', 'help'],
    ['info', 'help'],
  ])('%j is %s', (text, expected) => {
    expect(detectOptKeyword(text)).toBe(expected);
  });

  it.each([
    'stop texting me please',
    'please stop',
    'stop stop',
    'yes please',
    'i need help',
    'end it',
    'stopp',
    's t o p',
    'unsubscribe me',
    'taken',
    '',
    '   ',
  ])('%j is not a keyword', (text) => {
    expect(detectOptKeyword(text)).toBeUndefined();
  });
});

describe('start keywords', () => {
  it.each([
    ['START', true, false],
    ['unstop', true, false],
    ['Yes.', true, true],
    ['yes please', false, false],
    ['STOP', false, false],
  ])('%j: start %s, needs the opt-out state %s', (text, start, ambiguous) => {
    expect(isStartKeyword(text)).toBe(start);
    expect(isAmbiguousStartKeyword(text)).toBe(ambiguous);
  });

  it('normalises a keyword for comparison', () => {
    expect(keywordForm('  opt-out!! ')).toBe('OPT OUT');
  });
});

describe('looksLikeOptOutRequest', () => {
  it.each([
    'stop texting me',
    'please stop messaging me',
    'unsubscribe me',
    'don\'t text me anymore',
    'take me off this list',
    'stop sending me these reminders',
    'no more texts please',
    'I dont want these messages',
    'remove me from your list',
    'Stop txting me',
    'leave me alone',
    'wrong number',
    'I want to opt out',
    'cancel my reminders',
    'STOP',
  ])('%j asks to stop messages', (text) => {
    expect(looksLikeOptOutRequest(text)).toBe(true);
  });

  it.each([
    'stop taking my medicine?',
    'the bleeding won\'t stop',
    'can I stop my meds',
    'please dont stop texting me',
    'i dont want to unsubscribe',
    'I stopped my blood thinner',
    'how do i stop the nausea',
    'thanks for the reminder',
    'taken',
  ])('%j does not', (text) => {
    expect(looksLikeOptOutRequest(text)).toBe(false);
  });
});

describe('detectHandoffRequest', () => {
  it.each([
    'agent',
    'AGENT!',
    'talk to a nurse',
    'speak to someone',
    'can I talk to a real person',
    'representative',
    'call me',
    'I need a doctor to call me',
    'human please',
    'i want to speak with my doctor',
    'can a nurse call me',
    'please have someone call me back',
    'tlk to a nurce',
    'connect me with my care team',
    'can i speak to a representitive',
  ])('%j asks for a person', (text) => {
    expect(detectHandoffRequest(text)).toBe(true);
  });

  it.each([
    'my nurse told me to take 2 pills',
    'the nurse will call me tomorrow',
    'my doctor said to call if it gets worse',
    'no need to call me',
    'don\'t call me',
    'i dont want to talk to anyone',
    'talk to you later',
    'i talked to my doctor yesterday',
    'taken',
    'yes',
  ])('%j does not', (text) => {
    expect(detectHandoffRequest(text)).toBe(false);
  });
});
