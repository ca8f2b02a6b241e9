/**
 * Signs read across a whole answer, beyond the one fact a question asks for: pain the medicine does not control,
 * severe pain getting worse, feeling feverish without a thermometer, shaking or feeling very unwell with a low
 * temperature, and the local signs of a wound infection. Each list is every common way of saying the sign, and
 * each rule names the published criterion it applies.
 */
import type { PostopFacts } from './facts.js';
import { compilePhrases, findMentions, type AnswerClause } from './phrases.js';
import type { Question } from './protocol.js';
import { CONTEXT_FLAGS, LOW_TEMPERATURE_RED_FLAG_C, type RedFlag } from './red-flags.js';

const said = (clauses: readonly AnswerClause[], patterns: readonly RegExp[]): boolean =>
  findMentions(clauses, [{ tag: 'x', patterns }]).some((mention) => !mention.negated);

const MEDICINE = 'meds|med|medicine|medicines|medication|medications|pills|pill|tablets|tablet|painkillers|painkiller|tylenol|paracetamol|acetaminophen|ibuprofen|advil|codeine|tramadol|oxycodone|oxy|morphine|norco|percocet|vicodin|dose|them|it';

/**
 * The prescribed pain medicine is not controlling the pain (ACS and NHS discharge advice: call the surgeon), said
 * in a pain answer: "even with the meds", "the pills aren't touching it", "ran out", "it wears off".
 */
const MEDICINE_NOT_HELPING = compilePhrases([
  `even|despite with|on|after|taking|though ~ ${MEDICINE}`, `despite ~ ${MEDICINE}`,
  `${MEDICINE} ~ not|arent|isnt|dont|doesnt|didnt|wont|hardly|barely|never help*|work*|touch*|doing|enough|strong`,
  `${MEDICINE} ~ wear|wears|wearing|wore off`, `${MEDICINE} ~ useless`, `ran|run|running out ~ ${MEDICINE}`,
  `threw|throw|throwing|thrown|vomited|puked|sick ~ up? ~ ${MEDICINE}`, `cant|cannot|couldnt keep ~ ${MEDICINE} ~ down`,
  'nothing|no helps|touches|works', 'need|needs|want stronger',
]);

/** Getting worse: "getting worse", "worse than yesterday", "worsening", "going up", "more and more". */
const WORSENING = compilePhrases([
  'worse|worsening|worsened|increasing|increased|escalating|intensifying', 'getting|gotten|got|going bad|worse|up|higher|stronger',
  'more and more', 'keeps|keep ~ getting|going up', 'worse than ~ yesterday|before|earlier|this morning|last night',
]);

/** Pain the patient calls the worst, or severe and getting worse (NHS / ACS: call the surgeon the same day). */
export const SEVERE_PAIN_SCORE = 7;

/** A pain answer: whether it says the medicine does not help, and the flag for severe pain getting worse. */
export function painSigns(clauses: readonly AnswerClause[], facts: PostopFacts): { facts: PostopFacts; flags: RedFlag[] } {
  const extra: PostopFacts = said(clauses, MEDICINE_NOT_HELPING) ? { pain_controlled: false } : {};
  const severe = typeof facts.pain === 'number' && facts.pain >= SEVERE_PAIN_SCORE;
  return { facts: extra, flags: severe && said(clauses, WORSENING) ? [CONTEXT_FLAGS.severePainWorsening] : [] };
}

/**
 * Feeling feverish without a reading (NHS: a high temperature is feeling hot to touch, shivering or chills, or
 * sweating): "burning up", "hot and sweaty", "chills", "shivery", "night sweats".
 */
const FEVERISH = compilePhrases([
  'fever*|feverish|hot|sweat*|sweaty|clammy|chill*|shiver*|shivery|shaking|shaky|shakes|rigor*|rigour*|flushed|boiling', 'burning up',
  'cold sweat*', 'night sweats', 'teeth chattering', 'hot and cold', 'freezing|frozen',
]);
/** Rigors: shaking or shivering that cannot be stopped (NICE NG51: rigors are a sepsis risk criterion). */
const RIGORS = compilePhrases(['shak*|shiver*|shivery|trembl*|rigor*|rigour*|shudder*', 'teeth chattering', 'cant|cannot|couldnt stop ~ shaking|shivering|trembling']);
/** Feeling very unwell (NICE NG51 / NHS sepsis: "I feel like I might die", very unwell). */
const VERY_UNWELL = compilePhrases([
  'very|really|extremely|so|super|seriously unwell|ill|poorly|sick|bad|rough', 'awful|terrible|dreadful|horrendous|horrible|rubbish|wretched|dying',
  'like death', 'going to die', 'gonna die', 'never felt ~ this|so ~ bad|ill|unwell|rough', 'worst ive ever felt',
]);

/** A temperature answer: feeling feverish without a number, or a low reading with rigors or feeling very unwell. */
export function temperatureSigns(clauses: readonly AnswerClause[], value: unknown): RedFlag[] {
  if (typeof value === 'number') {
    return value < LOW_TEMPERATURE_RED_FLAG_C && (said(clauses, RIGORS) || said(clauses, VERY_UNWELL)) ? [CONTEXT_FLAGS.possibleSepsis] : [];
  }
  return said(clauses, FEVERISH) ? [CONTEXT_FLAGS.feverishUnmeasured] : [];
}

/**
 * The local signs of a superficial incisional infection (CDC / NHSN SSI: pain or tenderness, localized swelling,
 * redness, heat), with the firmness and tight shiny skin of a collection under it and its throbbing. Bruise
 * colours (purple, yellow, green) are not redness.
 */
const LOCAL_SIGNS: readonly { tag: string; patterns: RegExp[] }[] = [
  { tag: 'pain', patterns: compilePhrases(['tender|tenderness|sore|sorer|soreness|painful|hurts|hurting|aches|aching', 'pain|painful to|when ~ touch*|press*']) },
  { tag: 'swelling', patterns: compilePhrases(['swell*|swollen|puffy|puffed|puffier|bulging|bulge|lump|lumpy|lumps|raised|bump']) },
  { tag: 'redness', patterns: compilePhrases(['red|redder|redness|reddish|reddened|inflamed|angry|pink|pinker|darker|flushed']) },
  { tag: 'heat', patterns: compilePhrases(['hot|hotter|warm|warmer|warmth|heat|burning|burns']) },
  { tag: 'hardness', patterns: compilePhrases(['hard|harder|firm|firmer|solid|indurated|induration']) },
  { tag: 'tight', patterns: compilePhrases(['tight|tighter|shiny|stretched|taut']) },
  { tag: 'throbbing', patterns: compilePhrases(['throb*|pulsing|pounding']) },
];
/** Described as growing: "getting bigger", "spreading", "more swollen than yesterday", "worse". */
const INCREASING = compilePhrases([
  'bigger|larger|growing|grown|grows|spreading|spread|spreads|expanding|increasing|worse|worsening|redder|hotter|harder|firmer|tighter|puffier|sorer',
  'getting|gotten|got|going|becoming more|bigger|larger|worse|redder|hotter|harder|swollen|red|sore|tender',
  'more than|then ~ yesterday|before|earlier|this morning|last night',
]);

/**
 * A wound that opens with fluid gushing out (NHS and ACS advice on wound dehiscence: a sudden gush of fluid can
 * come before the deeper layers open): an emergency, as when something shows inside.
 */
const GUSHING = compilePhrases(['gush*|pour*|pours|spurt*|flood*|streaming|pumping|spilling|spewing|fountain*', 'loads|lots|tons ~ fluid|liquid|stuff|blood ~ out', 'a lot of ~ fluid|liquid|stuff']);

/** The flag for a wound that has opened with fluid gushing out. */
export function burstSigns(clauses: readonly AnswerClause[], facts: PostopFacts): RedFlag[] {
  return facts.wound_opening === true && said(clauses, GUSHING) ? [CONTEXT_FLAGS.woundBurst] : [];
}

/**
 * Heavy bleeding, on whatever question it is said (NHS: bleeding that soaks the dressing or will not stop is a 999
 * call). The bleeding question reads it with its own words; another question's words can take "blood" for their
 * own answer ("blood gushing from the drain site" to the drainage question), so it is read here too.
 */
const HEAVY_BLEEDING = compilePhrases([
  'blood|bleed|bleeds|bleeding|bled ~ gush*|pour*|pours|spurt*|soak*|drench*|everywhere|streaming|pumping|flooding',
  'gush*|pour*|spurt*|soak*|drench*|streaming|pumping ~ blood|bleed*', 'soaked|soaking|drenched ~ with|in blood',
  'bleeding|bleeds ~ wont|doesnt|isnt|not|cant|cannot|hasnt|wouldnt stop*',
]);

/** `bleeding: heavy` when any answer says the bleeding is heavy. */
export function bleedingSigns(clauses: readonly AnswerClause[]): PostopFacts {
  return said(clauses, HEAVY_BLEEDING) ? { bleeding: 'heavy' } : {};
}

const WOUND_FACTS: ReadonlySet<string> = new Set(['redness', 'swelling', 'drainage', 'wound_opening', 'bleeding']);

/**
 * A wound answer with two or more local infection signs, or one described as increasing (a lump under the scar
 * getting bigger): a same-day call. Only for the wound questions, where the answer is about the wound.
 */
export function woundSigns(question: Question, clauses: readonly AnswerClause[]): RedFlag[] {
  if (!WOUND_FACTS.has(question.fact)) return [];
  const mentions = findMentions(clauses, [...LOCAL_SIGNS, { tag: 'increasing', patterns: INCREASING }]).filter((mention) => !mention.negated);
  const signs = new Set(mentions.filter((mention) => mention.tag !== 'increasing').map((mention) => mention.tag));
  const increasing = mentions.some((mention) => mention.tag === 'increasing');
  return signs.size >= 2 || (signs.size >= 1 && increasing) ? [CONTEXT_FLAGS.woundInfectionSigns] : [];
}
