/**
 * Combinations patients ask about ("can I drink on metronidazole?", "ibuprofen with my warfarin?"), applied from
 * the table: each side of a rule must be met by a different medicine the patient named or is known to take.
 */
import type { MedicineCatalog } from './compile.js';
import type { MedicineMention } from './find.js';
import type { InteractionRule } from './schema.js';

/** One interaction that applies, with the mentions that met its sides (in side order). */
export interface InteractionHit {
  rule: InteractionRule;
  mentions: MedicineMention[];
}

const DEFAULT_ACTION: Record<InteractionRule['advice'], string> = {
  avoid: 'Do not take them together unless your doctor has said so, and ask your pharmacist today if you are unsure.',
  check: 'Check with your pharmacist today before taking them together.',
};

/**
 * The interactions among `mentions`, most serious first. A hit whose medicines are all covered by a hit already
 * kept is dropped: the "triple whammy" says what the NSAID + ACE inhibitor pair would, and more.
 */
export function findInteractions(mentions: readonly MedicineMention[], catalog: MedicineCatalog): InteractionHit[] {
  // "I'm not on warfarin" must not raise a bleeding warning; a medicine stopped recently still can interact.
  const active = mentions.filter((mention) => mention.status !== 'negated' && mention.kind !== 'unlisted');
  const hits: InteractionHit[] = [];
  for (const rule of catalog.table.interactions) {
    const assigned = assignSides(rule.between, active, []);
    if (assigned) hits.push({ rule, mentions: assigned });
  }
  hits.sort((left, right) => severity(right) - severity(left));
  const kept: InteractionHit[] = [];
  for (const hit of hits) {
    const ids = hit.mentions.map((mention) => mention.id);
    const covered = kept.some((other) => ids.every((id) => other.mentions.some((mention) => mention.id === id)));
    if (!covered) kept.push(hit);
  }
  return kept;
}

/** Patient-facing lines for one interaction. */
export function interactionLines(hit: InteractionHit): string[] {
  return [hit.rule.message, hit.rule.action ?? DEFAULT_ACTION[hit.rule.advice]];
}

/** Avoid before check, then the rule with more sides (it says more); the sort is stable, so table order breaks ties. */
function severity(hit: InteractionHit): number {
  return (hit.rule.advice === 'avoid' ? 10 : 0) + hit.rule.between.length;
}

/** Gives each side a different mention (sides are at most three, so a plain backtracking search is enough). */
function assignSides(sides: readonly string[][], mentions: readonly MedicineMention[], taken: MedicineMention[]): MedicineMention[] | undefined {
  const [side, ...rest] = sides;
  if (!side) return taken;
  for (const mention of mentions) {
    if (taken.some((other) => sameThing(other, mention)) || !side.some((id) => mention.groups.includes(id))) continue;
    const assigned = assignSides(rest, mentions, [...taken, mention]);
    if (assigned) return assigned;
  }
  return undefined;
}

/** "Sertraline is an SSRI": a class and a medicine in it are one thing said twice, not a combination. */
function sameThing(left: MedicineMention, right: MedicineMention): boolean {
  if (left.id === right.id) return true;
  return (left.kind === 'class' && right.groups.includes(left.id)) || (right.kind === 'class' && left.groups.includes(right.id));
}
