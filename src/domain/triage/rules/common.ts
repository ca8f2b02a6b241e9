/**
 * Shared shape of a complaint rule (layer 2). A rule looks at the findings for its presenting complaint and
 * returns a level with its reason, or nothing when the complaint is absent. The engine keeps the most urgent.
 */
import type { Facts, Outcome } from '../facts.js';
import type { TriageLevel } from '../types.js';

export interface ComplaintRule {
  id: string;
  evaluate(f: Facts): Outcome | undefined;
}

/** Builds an outcome; `advice` is plain language, grade 6-8. */
export function decide(level: TriageLevel, id: string, source: string, because: string, advice: string[] = []): Outcome {
  return { level, id, source, because, advice };
}

/** "for 3 days" in words, for explanations. */
export function forHowLong(hours: number | undefined): string {
  if (hours === undefined) return '';
  if (hours < 24) return ` for ${Math.max(1, Math.round(hours))} hour${Math.round(hours) === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return days >= 14 ? ` for ${Math.round(days / 7)} weeks` : ` for ${days} day${days === 1 ? '' : 's'}`;
}

export const GET_HELP_SOONER = 'Contact your care team sooner if it gets worse, if new symptoms start, or if you are worried.';
