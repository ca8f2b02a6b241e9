import { describe, expect, it } from 'vitest';
import type { PostopFacts } from '../../src/domain/postop/facts.js';
import { FEVER_RED_FLAG_C, redFlagMessage, redFlagsIn, topLevel } from '../../src/domain/postop/red-flags.js';

const levelOf = (facts: PostopFacts) => topLevel(redFlagsIn(facts));

describe('post-op red flags', () => {
  it.each<[PostopFacts, string]>([
    [{ organs_visible: true }, 'critical'], [{ bleeding: 'heavy' }, 'critical'], [{ chest_pain: true }, 'critical'], [{ breathless: true }, 'critical'],
    [{ wound_opening: true }, 'high'], [{ temperature_c: FEVER_RED_FLAG_C }, 'high'], [{ temperature_c: 38.0 }, 'high'], [{ temperature_c: 39.5 }, 'high'], [{ drainage: 'thick' }, 'high'],
    [{ temperature_c: 35.9 }, 'high'], [{ pain_controlled: false }, 'high'], [{ pain: 10 }, 'high'],
    [{ drainage: 'foul' }, 'high'], [{ redness: 'spreading' }, 'high'], [{ calf_pain: true }, 'high'],
  ])('%j is %s', (facts, level) => {
    expect(levelOf(facts)).toBe(level);
  });

  it.each<PostopFacts>([
    {}, { temperature_c: 37.9 }, { temperature_c: 36.0 }, { pain: 9, pain_controlled: true }, { redness: 'present', swelling: true }, { drainage: 'clear' }, { drainage: 'bloody' },
    { bleeding: 'light' }, { wound_opening: false, organs_visible: false, breathless: false, chest_pain: false, calf_pain: false }, { eating_drinking: false, passing_urine: false },
  ])('%j is no red flag (the escalation rules weigh it)', (facts) => {
    expect(redFlagsIn(facts)).toEqual([]);
    expect(redFlagMessage([])).toBe('');
  });

  it('lists every flag, most urgent first, each with its fact and source', () => {
    const flags = redFlagsIn({ calf_pain: true, organs_visible: true, wound_opening: true });
    expect(flags.map((flag) => [flag.id, flag.level, flag.fact])).toEqual([
      ['postop.organs_visible', 'critical', 'organs_visible'],
      ['postop.wound_opening', 'high', 'wound_opening'],
      ['postop.calf_pain', 'high', 'calf_pain'],
    ]);
    for (const flag of flags) expect(flag.source).toMatch(/CDC|NHS|NICE/);
  });

  it('tells the patient to call the emergency number with first aid for what was found, or the surgical team today', () => {
    const critical = redFlagMessage(redFlagsIn({ bleeding: 'heavy', organs_visible: true }));
    expect(critical).toMatch(/^Call \{EMERGENCY_NUMBER\} now/);
    expect(critical).toContain('Press firmly');
    expect(critical).toContain('Do not push anything back in');
    expect(redFlagMessage(redFlagsIn({ breathless: true }))).not.toContain('Press firmly');
    expect(redFlagMessage(redFlagsIn({ drainage: 'foul' }))).toMatch(/^Please call your surgical team today at \{CARE_TEAM_PHONE\}/);
  });
});
