import { describe, expect, it } from 'vitest';
import { crisisReplies, screenIntro, screenReplies } from '../../src/domain/safety/crisis-replies.js';
import { readScreenAnswer, scoreScreen, screenQuestions } from '../../src/domain/safety/crisis-screen.js';

const settings = { clinicName: 'Lakeside Clinic', clinicPhone: '+15550004321', emergencyNumber: '911', crisisLine: '988' };

describe('the screener (NIMH ASQ)', () => {
  it('asks the four ASQ questions, then the acuity question', () => {
    const { questions, acuity } = screenQuestions();
    expect(questions.map((question) => question.ask)).toEqual([
      expect.stringMatching(/past few weeks.*wished you were dead/),
      expect.stringMatching(/family would be better off if you were dead/),
      expect.stringMatching(/thoughts about killing yourself/),
      expect.stringMatching(/ever tried to kill yourself/),
    ]);
    expect(acuity.ask).toMatch(/thoughts of killing yourself right now/);
  });

  it.each([
    ['yes', 'yes'], ['Yep.', 'yes'], ['y', 'yes'], ['i have', 'yes'], ['sometimes', 'yes'], ['not sure', 'yes'], ['idk', 'yes'],
    ['no, but sometimes', 'yes'], ['a little', 'yes'], ['i wish i was dead every day', 'yes'],
    ['no', 'no'], ['Nope', 'no'], ['no i have not', 'no'], ['i havent', 'no'], ['never', 'no'], ['not really', 'no'], ['nah', 'no'],
    ['what?', undefined], ['why are you asking me this', undefined], ['hello', undefined],
  ])('reads %j as %s', (answer, expected) => {
    expect(readScreenAnswer(answer)).toBe(expected);
  });

  it('scores like ASQ: acuity yes is acute, any other yes non-acute, all no negative', () => {
    expect(scoreScreen(['no', 'yes', 'no', 'no'], 'yes')).toBe('acute');
    expect(scoreScreen(['no', 'yes', 'no', 'no'], 'no')).toBe('non_acute_positive');
    expect(scoreScreen(['no', 'no', 'no', 'yes'], 'no')).toBe('non_acute_positive');
    expect(scoreScreen(['no', 'no', 'no', 'no'])).toBe('negative');
  });
});

describe('crisis replies (safe messaging)', () => {
  it('give the crisis line and the emergency number, and say the care team was alerted', () => {
    const [first, second] = crisisReplies('lethal_amount', true, settings);
    expect(first).toMatch(/988/);
    expect(first).toMatch(/911/);
    expect(second).toMatch(/alerted your care team/);
    // Never a dose or a method in answer to a lethal-amount question.
    expect(`${first} ${second}`).not.toMatch(/\b(mg|milligrams?|tablets?|pills?|dose|safe to take)\b/i);
  });

  it('lead with the emergency number when someone may already be hurt', () => {
    expect(crisisReplies('self_harm_in_progress', true, settings)[0]).toMatch(/^Please call 911 now/);
  });

  it('say that no one was alerted when the number is not linked to a care team', () => {
    expect(crisisReplies('intent', false, settings)[1]).toMatch(/not linked to a care team.*988.*911/);
  });

  it('tell the patient what happens after each screen result', () => {
    expect(screenIntro(settings)).toMatch(/911.*988/);
    expect(screenReplies('acute', true, settings)).toEqual([expect.stringMatching(/988.*911/), expect.stringMatching(/alerted your care team/)]);
    expect(screenReplies('non_acute_positive', true, settings)).toEqual([expect.stringMatching(/care team will call you today.*988.*Lakeside Clinic at \+15550004321.*911/)]);
    expect(screenReplies('non_acute_positive', false, { ...settings, clinicPhone: undefined })).toEqual([expect.stringMatching(/not linked to a care team.*Lakeside Clinic today\. You can call or text 988/)]);
    expect(screenReplies('negative', true, settings)).toEqual([expect.stringMatching(/call or text 988 any time/)]);
  });
});
