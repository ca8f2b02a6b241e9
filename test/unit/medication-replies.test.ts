import { describe, expect, it } from 'vitest';
import { parseDoseReply, pickDoses, type OpenDose } from '../../src/domain/medication/replies.js';

const answerOf = (text: string, names?: string[]) => parseDoseReply(text, names)?.answer;

describe('parseDoseReply', () => {
  it.each([
    'taken', 'Taken!', 'TAKEN', 'took it', 'Took it.', 'tooken', 'yes', 'Yes', 'y', 'Y', 'yeah', 'yep', 'yup', 'yesss', 'done', 'Done!',
    'ok took it', 'OK, took it', 'okay taken', 'yes I took it', 'i took it thanks', 'taken, thank you', 'just took it', 'already took it',
    'took my pill', 'took my meds', 'taking it now', '✅', '✔️', '👍', 'taken ✅', '1', '1.', ' 1 ', '1 taken',
    // one typo in a word of five letters or more
    'takne', 'taekn', 'takenn',
  ])('reads %j as taken', (text) => {
    expect(answerOf(text)).toBe('taken');
  });

  it.each([
    'skip', 'Skip', 'skipped', 'skiped', 'skipping', 'skip it', 'skip today', 'no', 'No.', 'nope', 'nah', 'n', '2', 'not today',
    "didn't take it", 'didnt take it', 'I did not take it', "haven't taken it", 'not taken', 'missed it', 'I missed my dose', '❌',
    'no skip it', 'no, not today',
  ])('reads %j as skipped', (text) => {
    expect(answerOf(text)).toBe('skipped');
  });

  it.each([
    ['snooze', undefined], ['Snooze', undefined], ['snoze', undefined], ['snoozee', undefined], ['later', undefined], ['remind me later', undefined],
    ['3', undefined], ['not yet', undefined], ['not now', undefined], ["haven't taken it yet", undefined], ['not done yet', undefined],
    ['in a bit', undefined], ['no, later', undefined], ['⏰', undefined],
    ['snooze 30', 30], ['Snooze 30 min', 30], ['snooze 2h', 120], ['snooze 1 hour', 60], ['in 20 min', 20], ['in 20 minutes', 20], ['20 mins', 20],
    ['remind me in an hour', 60], ['remind me in half an hour', 30], ['in an hour and a half', 90], ['snooze for 45', 45], ['later, 15 min', 15],
  ] as const)('reads %j as snoozed for %s minutes', (text, minutes) => {
    const reply = parseDoseReply(text);
    expect(reply?.answer).toBe('snoozed');
    expect(reply?.minutes).toBe(minutes);
  });

  it.each([
    // questions, symptoms and other talk go to the conversation
    'did I take it?', 'did i take it', 'should I take it with food', 'yes?', 'what is this for?', 'can I take it later?',
    'I took it but I feel dizzy', 'took it and now my chest hurts', 'chest pain', 'I feel sick', 'who is this', 'hello', 'thanks',
    'ok', 'help me', 'take it', 'I forgot', 'had lunch',
    // typos count only in words of five letters or more, and not in the first letter
    'latr', 'tokn', 'water', 'raken',
    // contradictions and things that are not dose answers
    'yes no', 'taken skip', 'yes later', '2 taken', 'took 2', '10', '4', '30', 'snooze 0', 'snooze 5000', 'now', 'morning',
    'took the morning and noon ones', 'took it at 25:00', '',
  ])('does not read %j as a dose answer', (text) => {
    expect(parseDoseReply(text)).toBeUndefined();
  });

  it('says which dose the patient means', () => {
    expect(parseDoseReply('took the morning one')).toEqual({ answer: 'taken', which: { partOfDay: 'morning' } });
    expect(parseDoseReply('noon taken')).toEqual({ answer: 'taken', which: { partOfDay: 'noon' } });
    expect(parseDoseReply('skip the evening dose')).toEqual({ answer: 'skipped', which: { partOfDay: 'evening' } });
    expect(parseDoseReply('took the 8am one')).toEqual({ answer: 'taken', which: { time: '08:00' } });
    expect(parseDoseReply('8:30 pm taken')).toEqual({ answer: 'taken', which: { time: '20:30' } });
    expect(parseDoseReply('20:00 done')).toEqual({ answer: 'taken', which: { time: '20:00' } });
    expect(parseDoseReply('took both')).toEqual({ answer: 'taken', which: { all: true } });
    expect(parseDoseReply('took lisinopril', ['Lisinopril', 'Water pill'])).toEqual({ answer: 'taken', which: { name: 'lisinopril' } });
    expect(parseDoseReply('took lisinopril')).toBeUndefined(); // an unknown word unless it names an open dose
  });

  it('marks a bare menu number, so the caller can confirm it where a menu is open too', () => {
    expect(parseDoseReply('1')).toEqual({ answer: 'taken', menuDigit: true });
    expect(parseDoseReply('3')).toEqual({ answer: 'snoozed', menuDigit: true });
    expect(parseDoseReply('1 taken')).toEqual({ answer: 'taken' });
  });
});

describe('pickDoses', () => {
  const dose = (key: string, localTime: string, at: string, displayName = 'morning pill'): OpenDose => ({ key, localTime, displayName, at: new Date(at) });
  const morning = dose('m', '08:00', '2025-06-02T12:00:00Z');
  const noon = dose('n', '12:00', '2025-06-02T16:00:00Z', 'water pill');
  const open = [noon, morning];
  const keys = (text: string, names: string[] = []) => pickDoses(open, parseDoseReply(text, names)?.which).map((picked) => picked.key);

  it('maps a reply to the latest open dose unless it names one', () => {
    expect(keys('taken')).toEqual(['n']);
    expect(keys('took the morning one')).toEqual(['m']);
    expect(keys('noon taken')).toEqual(['n']);
    expect(keys('took the 8am one')).toEqual(['m']);
    expect(keys('took the 8:30 one')).toEqual(['m']);
    expect(keys('took the water pill', ['morning pill', 'water pill'])).toEqual(['n']);
    expect(keys('took both').sort()).toEqual(['m', 'n']);
  });

  it('picks nothing when the named dose is not open (the caller asks which), or nothing is open', () => {
    expect(keys('took the evening one')).toEqual([]);
    expect(keys('took the 5pm one')).toEqual([]);
    expect(pickDoses([], undefined)).toEqual([]);
  });
});
