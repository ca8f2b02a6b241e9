/**
 * Deterministic emergency detection for patient messages (SMS and web chat).
 *
 * Runs before any dialog step: when it finds an emergency, the bot answers with emergency instructions and
 * raises an alert (ARCHITECTURE.md, "Safety rules that hold everywhere"). It is a safety net, so where a
 * message is ambiguous it errs towards a false alarm rather than a missed emergency.
 *
 * How it works:
 *  1. normalize.ts folds the message into canonical words (typos, SMS shorthand, stretched letters, contractions).
 *  2. Lay-language red-flag patterns (RULES, below) are matched against those words.
 *  3. A match is dropped when it is negated (NegEx-style: "no chest pain", "chest pain is gone"), historical
 *     ("a stroke 5 years ago") or a question asking for information ("what are the signs of a stroke?").
 *
 * The red flags are written in our own words from published lay lists:
 *  - NHS "When to call 999" (nhs.uk, urgent and emergency care services)
 *  - CDC and American Heart Association heart attack warning signs (cdc.gov/heart-disease, heart.org)
 *  - BE-FAST stroke signs (Balance, Eyes, Face, Arms, Speech, Time), extending the AHA/ASA F.A.S.T. list
 *  - 988 Suicide & Crisis Lifeline "Know the warning signs" (988lifeline.org)
 *  - NHS pages on anaphylaxis, sepsis and seizures ("when to call 999"); UK Sepsis Trust adult signs
 *  - Poison Control (poison.org) and SAMHSA opioid overdose signs
 *  - NegEx (Chapman et al., 2001) and ConText (Harkema et al., 2009) for negation, history and hypotheticals
 *
 * The message text is never logged; a match carries only the few words that matched, for the audit trail.
 */
import { WordPrefixIndex } from '../language/prefilter.js';
import { CLAUSE_BREAK, buildLexicon, normalizeMessage, sourceWords, type CanonicalToken } from './normalize.js';

/**
 * What kind of emergency a message describes, in priority order: when one message shows several, the most
 * specific cause comes first (an overdose before the breathing trouble it causes).
 * `sepsis` is added because post-operative check-ins are a core use (NHS / UK Sepsis Trust red flags);
 * `declared` covers a patient who says it is an emergency ("call 911", "I'm dying") without naming why.
 */
export const EMERGENCY_KINDS = [
  'overdose',
  'anaphylaxis',
  'suicide',
  'self_harm',
  'violence',
  'cardiac',
  'stroke',
  'seizure',
  'breathing',
  'bleeding',
  'unresponsive',
  'sepsis',
  'declared',
] as const;

/** A kind of emergency; see {@link EMERGENCY_KINDS}. */
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

/** One emergency found in a message. */
export interface EmergencyMatch {
  kind: EmergencyKind;
  /** The message words that matched (normalised, a handful at most), for the audit trail; never the whole message. */
  phrase: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Pattern language. A rule is a space-separated list of steps over canonical words:
//   a|b|c     one word out of several; `word*` is a prefix, `_` joins words (`a_lot`), `@SET` inserts a set
//   x?        optional step;  ~N  up to N other words (never a negation, a clause break or "but")
//   !x        the next word is not x;  <x  the previous word is not x
//   #  any number;  #10+  a number of 10 or more;  #LOWSAT  an oxygen saturation reading under 90
// ---------------------------------------------------------------------------------------------------------------

/** Word sets shared by the rules. */
const SETS: Record<string, readonly string[]> = {
  PAIN: ['pain*', 'hurt*', 'ache*', 'aching', 'achy', 'pressure', 'tight*', 'squeez*', 'crush*', 'heavy', 'heaviness',
    'burn*', 'discomfort', 'sore*', 'stab*', 'sharp', 'killing me', 'on fire', 'explod*', 'caving in', 'clench*',
    'constrict*', 'pound*', 'agony', 'agoniz*', 'throb*', 'pinch*', 'compress*', 'weight', 'vice', 'vise', 'cramp*',
    'dolor', 'duele', 'band', 'belt'],
  // Sedatives, opioids and drugs dangerous in quantity: "took all my sleeping pills" is an overdose, "took all my pills" is not.
  SEDATIVE: ['sleeping pill*', 'sleep aid*', 'sleep meds', 'xanax', 'valium', 'ativan', 'klonopin', 'ambien', 'oxy*',
    'percocet*', 'vicodin', 'norco', 'opioid*', 'fentanyl', 'heroin', 'morphine', 'methadone', 'codeine', 'hydrocodone',
    'tramadol', 'benzo*', 'lorazepam', 'clonazepam', 'diazepam', 'zolpidem', 'seroquel', 'trazodone', 'lithium',
    'tylenol', 'acetaminophen', 'paracetamol', 'insulin', 'pain pills', 'pain meds', 'painkillers', 'pain killers',
    'antidepressants', 'anxiety meds', 'anxiety pills', 'heart pills', 'blood pressure pills', 'digoxin', 'warfarin'],
  BREATH: ['breath', 'breathe', 'breathing', 'breaths', 'breathes', 'respirar'],
  // After "not breathing": "I'm not breathing hard" is reassurance, not an emergency.
  BREATH_FINE: ['hard', 'heavy', 'heavily', 'fast', 'faster', 'rapidly', 'quickly', 'weird', 'strange', 'funny',
    'differently', 'loud', 'loudly', 'any worse', 'worse', 'abnormally', 'shallow', 'too fast', 'through my mouth'],
  BREATHX: ['through my nose', 'through the nose', 'through nose', 'out of my nose', 'out my nose', 'nose', 'machine*',
    'treatment*', 'exercise*', 'test*', 'mask', 'device', 'tube', 'smell*', 'stink*', 'odor', 'odour', 'mint*',
    'spray', 'strip*', 'spacer', 'app', 'technique*'],
  PERSON: ['he', 'she', 'hes', 'shes', 'him', 'her', 'they', 'them', 'theyre', 'husband', 'wife', 'partner', 'boyfriend',
    'girlfriend', 'ex', 'mom', 'mum', 'mother', 'dad', 'father', 'son', 'daughter', 'baby', 'child', 'kid', 'brother',
    'sister', 'grandma', 'grandpa', 'grandmother', 'grandfather', 'granny', 'nana', 'papa', 'friend', 'roommate',
    'neighbor', 'neighbour', 'uncle', 'aunt', 'man', 'woman', 'guy', 'someone', 'somebody', 'stranger', 'patient',
    'caregiver', 'fiance', 'spouse', 'stepdad', 'stepfather', 'stepmom', 'cousin', 'nephew', 'niece', 'grandson',
    'granddaughter', 'toddler', 'infant', 'newborn', 'teen', 'teenager', 'wifey', 'hubby'],
  CHILD: ['son', 'daughter', 'baby', 'child', 'kid', 'kids', 'toddler', 'infant', 'grandson', 'granddaughter',
    'grandkid', 'grandchild', 'little one', 'nephew', 'niece', 'children'],
  DRUG: ['pill', 'pills', 'tablet', 'tablets', 'tabs', 'meds', 'med', 'medicine', 'medicines', 'medication',
    'medications', 'capsule*', 'caps', 'tylenol', 'advil', 'motrin', 'ibuprofen', 'acetaminophen', 'paracetamol',
    'aspirin', 'xanax', 'oxy*', 'percocet*', 'vicodin', 'norco', 'opioid*', 'fentanyl', 'heroin', 'benzo*', 'valium',
    'ambien', 'sleeping pill*', 'insulin', 'morphine', 'methadone', 'codeine', 'hydrocodone', 'tramadol',
    'gabapentin', 'lithium', 'seroquel', 'trazodone', 'klonopin', 'ativan', 'adderall', 'lorazepam', 'clonazepam',
    'diazepam', 'zolpidem', 'metformin', 'warfarin', 'digoxin', 'pastillas', 'pildoras'],
  // Past tense only: "I'm taking too many pills a day" is a complaint about pill burden, not an overdose.
  TOOK: ['took', 'taken', 'swallowed', 'popped', 'downed', 'injected', 'ingested', 'tome', 'tomo', 'tooken', 'snorted'],
  HARMV: ['hurt', 'kill', 'hit', 'beat', 'shoot', 'stab', 'attack', 'rape', 'choke', 'strangle', 'murder', 'harm',
    'punch', 'kick', 'smother', 'drown', 'burn', 'kidnap'],
  HARMED: ['hit', 'hitting', 'hits', 'beat', 'beating', 'beats', 'punched', 'punching', 'kicked', 'kicking', 'choked',
    'choking', 'strangled', 'strangling', 'stabbed', 'stabbing', 'shot', 'shooting', 'raped', 'attacked', 'attacking',
    'threatened', 'threatening', 'abusing', 'abused', 'hurting', 'hurt', 'smothering', 'assaulted', 'assaulting'],
  // A word after an event noun that makes it a topic, not an event: "seizure meds", "stroke risk".
  NOUNX: ['med', 'meds', 'medicine', 'medication', 'medications', 'pill', 'pills', 'drug', 'drugs', 'doctor', 'doctors',
    'clinic', 'appointment', 'appt', 'risk', 'risks', 'prevention', 'unit', 'center', 'centre', 'rehab', 'recovery',
    'support', 'group', 'survivor', 'survivors', 'nurse', 'team', 'program', 'programme', 'class', 'education',
    'awareness', 'month', 'history', 'disorder', 'precautions', 'diary', 'plan', 'insurance', 'test', 'tests',
    'testing', 'screening', 'specialist', 'ward', 'scale', 'hotline', 'lifeline', 'kit', 'free', 'threshold',
    'prophylaxis', 'research', 'study', 'video', 'pamphlet', 'leaflet', 'guidelines', 'protocol', 'service',
    'services', 'score', 'rehabilitation', 'surgeon', 'cardiologist', 'neurologist', 'dog', 'alert', 'bracelet',
    'card', 'log', 'tracker', 'control', 'activity', 'action plan', 'statistics', 'rate', 'rates'],
  BLEED: ['bleed*', 'bled', 'nosebleed*', 'blood', 'haemorrhag*', 'hemorrhag*', 'sangr*', 'sangre'],
  BLOODX: ['work', 'test*', 'pressure*', 'sugar*', 'draw*', 'drawn', 'type', 'count*', 'thinner*', 'thinning', 'result*',
    'level*', 'glucose', 'donation', 'donor', 'bank', 'cell*', 'panel', 'orange', 'vessel*', 'flow', 'stream', 'bath',
    'sample*', 'check*', 'reading*', 'oxygen', 'culture*', 'lab*', 'meter', 'moon', 'pact', 'shot', 'clot*',
    'transfusion', 'relative*', 'brother*', 'sister*', 'line', 'lines', 'spot', 'spots', 'blister', 'bp', 'tests',
    'infection', 'poisoning'],
  BLEED_MUCH: ['a lot', 'heavily', 'heavy', 'badly', 'bad', 'profusely', 'everywhere', 'nonstop', 'non stop',
    'like crazy', 'like a faucet', 'like a tap', 'through', 'all over', 'too much', 'so much', 'really bad',
    'uncontrollably', 'fast', 'hard', 'pouring', 'gushing', 'spurting', 'squirting', 'spraying', 'more and more',
    'tons', 'a ton', 'worse', 'mucho', 'sin parar', 'no para', 'a lot of blood'],
  MUCH_BLOOD: ['lots of', 'a lot of', 'so much', 'too much', 'tons of', 'heavy', 'heavily', 'severe', 'massive',
    'uncontrolled', 'uncontrollable', 'profuse', 'excessive', 'bright red', 'pouring', 'gushing', 'spurting',
    'squirting', 'spraying', 'huge amount of', 'large amount of', 'serious', 'major', 'pool of', 'puddle of',
    'puddles of', 'pools of', 'covered in', 'soaked in', 'full of', 'loads of', 'buckets of', 'mucha', 'heavier'],
  DRESSING: ['bandage*', 'dressing*', 'gauze', 'pad', 'pads', 'towel*', 'shirt', 'sheet*', 'clothes', 'bed', 'pants',
    'bandaid*', 'band aid*', 'tampon*', 'diaper*', 'through', 'everything'],
  ONE_SIDE: ['one', 'left', 'right', 'half', 'one half', 'his left', 'his right', 'her left', 'her right',
    'my left', 'my right'],
  LIMB: ['arm', 'arms', 'leg', 'legs', 'hand', 'hands', 'side', 'face', 'body', 'brazo', 'pierna', 'lado', 'cara'],
  WEAK: ['weak*', 'numb*', 'paralyz*', 'paralys*', 'dead', 'limp', 'heavy', 'useless', 'floppy', 'not working',
    'wont move', 'not moving', 'gave out', 'gone'],
};

/** Where a rule's extra context is looked for: the sentence holding the match, or the whole message. */
type Scope = 'sentence' | 'message';

interface RuleSpec {
  kind: EmergencyKind;
  pattern: string;
  /** About the patient by construction ("kill myself"): a question form does not make it informational. */
  personal?: boolean;
  /** A cry for help even as a question ("should I call 911?"): never treated as informational. */
  always?: boolean;
  /** The match must be the whole message ("emergency", "sos"). */
  whole?: boolean;
  require?: RegExp;
  forbid?: RegExp;
  scope?: Scope;
}

type RuleOptions = Omit<RuleSpec, 'kind' | 'pattern'>;

function group(kind: EmergencyKind, options: RuleOptions, ...patterns: string[]): RuleSpec[] {
  return patterns.map((pattern) => ({ kind, pattern, ...options }));
}

const ANAPHYLAXIS_CONTEXT =
  /\b(medicine|medication|meds|med|pill|pills|tablet|tablets|drug|shot|injection|vaccine|antibiotic\w*|penicillin|amoxicillin|sulfa|new|started|starting|took|taken|taking|ate|eating|eaten|food|peanut\w*|nut|nuts|shellfish|shrimp|sting|stung|bee|wasp|insect|bite|allerg\w*|reaction|hives|rash|itch\w*|breath\w*|wheez\w*|suddenly|sudden|fast|quickly|rapid\w*|throat|tongue|lips|dizz\w*|faint\w*)\b/;
const ACCIDENTAL =
  /\b(accident\w*|by mistake|shaving|shave|cooking|chopping|slicing|knife slipped|slipped|tripped|fell|fall|falling|lifting|exercis\w*|working out|workout|gym|playing|stairs|moving|carrying|bending|twisting|reaching|gardening|cleaning|opening|kitchen|can opener|paper|sports?|football|soccer|running|yard|garden|tools?|glass|fence|nail|at work)\b/;
const DENTAL = /\b(dentist|dental|novocaine|novocain|lidocaine|numbing|filling|root canal|anesthe\w*|anaesthe\w*|injection|wisdom|tooth|teeth|oral surgery|nerve block|epidural|spinal)\b/;
const ORTHOPAEDIC = /\b(sling|cast|rotator|physio|physical therapy|pt|stiff|sore|brace|splint|frozen shoulder|shoulder|knee|hip|fracture|broken|sprain\w*|epidural|spinal)\b/;
const NOT_FOR_USE = /\b(refill\w*|renew\w*|prescription|pharmacy|expired?|expiring|order\w*|carry|bring|pack|coupon|cost|price|insurance|spare|extra|new one|where do i get|how do i|how to|how should|when should|when do i|trainer|practice|demo|show me|teach)\b/;
const FIGURATIVE_OVERDOSE = /\boverdos\w* on (\w+ ){0,2}(turkey|pudding|chocolate|sweets|candy|sugar|food|cake|cookies|biscuits|pizza|cheese|carbs|netflix|tv|coffee|caffeine|christmas|easter|mince pies|crisps|chips|ice cream|junk)\b/;
/** "my husband would kill me if he saw the house": an exaggeration, unless someone reported a threat. */
const EXAGGERATION = /^(?!.*\b(said|says|threaten\w*|told me|swore|promised)\b).*(\b(would|gonna|going to|will) (kill|murder) (me|us) (if|when)\b|\b(lol|lmao|haha\w*|jk)\b)/;
/** Someone with a weapon is a danger when the message says why ("he has a gun and he's drunk"), not "my son got a knife set". */
const THREAT = /\b(threat\w*|scared|afraid|terrified|drunk|high|angry|mad|rage|yelling|screaming|going to|gonna|pointing|waving|hurt|kill|shoot|stab|help|hiding|locked|coming|after me|at me)\b/;
/** "I'm dying here with this heat": hyperbole. */
const HYPERBOLE = /\b(heat|hot|humid\w*|bored\w*|this cold|man flu|hangover|hungry|hunger|thirst\w*|tired|laugh\w*|lol|lmao|haha\w*|funny|curious|curiosity|embarrass\w*|cringe|cute|traffic|work|homework|exams?)\b/;
/** Confusion that is long-standing ("she has dementia", "gets confused sometimes") is not a sudden change. */
const CHRONIC = /\b(sometimes|dementia|alzheimer\w*|always|often|usually|every (day|night|evening|morning)|at night|sundown\w*|since (her|his) stroke|memory (problems|issues|loss))\b/;
const JOKING = /\b(lol|lmao|haha\w*|jk|rofl|price|prices|bill|bills|cost|costs)\b/;
const STUFFY = /\b(stuffy|stuffed up|congest\w*|sinus\w*|blocked nose|nose is blocked|runny|snot\w*)\b/;
/** Reported instructions, not a request: "the leaflet says call 911 for chest pain", "call 911 if ...". */
const INSTRUCTIONS = /\b(says|instructions|leaflet|papers?|handout|pamphlet|website|sheet|brochure)\b.*\b(call|dial)\b|\b(call|dial) (911|999|112) (if|when|for any|in case)\b/;
const FEVER = /\b(fever\w*|temp|temperature|chills|shivering|febrile|rigors|fiebre|calentura|hot and cold|burning up)\b/;

/** Lay red flags. Comments name the source list each group follows. */
const RULE_SPECS: readonly RuleSpec[] = [
  // Overdose and poisoning (Poison Control; SAMHSA opioid overdose signs; NHS 999: "suicide attempt by taking something").
  // "overdosed on turkey and pudding haha": the word is a figure of speech when what follows is food or screen time.
  ...group('overdose', { forbid: FIGURATIVE_OVERDOSE },
    '<want|wanna|to|plan|planning|about|of|for|prevent|avoid|risk|no overdos*|overdosed|overdosing|sobredosis !@NOUNX'),
  ...group('overdose', {},
    '@TOOK ~2 too|way_too many|much !to|time|long|effort|energy|money|space|sugar|salt|caffeine|coffee|food|sun|weight',
    '@TOOK ~3 whole|entire bottle|pack|packet|box|strip|container|blister|sleeve|prescription|month*|supply|jar|tube|bag|thing|lot !of',
    '@TOOK ~3 whole|entire bottle|pack|packet|box|strip|container|blister|sleeve|month*|supply|jar|tube|bag of ~2 @DRUG|pain*|sleeping',
    '@TOOK|ate|eaten ~3 handful*|fistful*|bunch|bottle_of|box_of|pack_of ~1 @DRUG|of',
    '@TOOK ~2 a_lot_of|lots_of|tons_of|loads_of|so_many|a_ton_of|too_many_of ~2 @DRUG|@SEDATIVE',
    '@TOOK like|about|around|over|maybe|almost|nearly|probably|at_least|more_than|like_maybe? #10+ @DRUG|of',
    '@TOOK ~2 all ~3 @SEDATIVE',
    'gave|given|give ~3 too|way_too many|much ~2 @DRUG|@SEDATIVE|of_his|of_her|of_my',
    '@TOOK ~2 all|every ~3 @DRUG|them|those|these ~2 at_once|in_the_bottle|in_the_pack|in_the_box|left|i_had|i_have|at_the_same_time|in_one_go',
    'drank|drink|drinking|swallowed|swallow|ate|eaten|ingested|drunk|chugged|chugging ~3 bleach|antifreeze|poison|rat_poison|drain_cleaner|detergent|laundry_pod*|tide_pod*|lighter_fluid|gasoline|paint_thinner|cleaning_product*|cleaner|lye|pesticide*|weed_killer|roundup|windshield_fluid|methanol|ammonia|battery|button_battery|magnets|lamp_oil|cloro',
    '@CHILD ~4 ate|swallowed|got_into|gotten_into|eaten|drank|drunk ~4 @DRUG|gummies|vitamin*|bottle',
    'tome|tomo|se_tomo|me_tome ~2 muchas|todas_las|demasiad*|un_monton_de ~1 pastillas|pildoras|medicinas|pastilla'),
  ...group('overdose', { forbid: NOT_FOR_USE, scope: 'sentence' },
    'gave|give|giving|used|use|need|needs|needed|administered|administer|grab|had_to_use|had_to_give ~3 narcan|naloxone'),
  ...group('overdose', { always: true }, 'poison control'),

  // Anaphylaxis (NHS anaphylaxis: sudden swelling of lips, mouth, throat or tongue; breathing trouble; hives).
  ...group('anaphylaxis', {},
    'throat|garganta ~4 clos*|swell*|swollen|shut*|constrict*|cerr*|cierr*|hinch*|block*|narrow*',
    'throat|garganta ~2 tight|tightening|apretada !chest',
    'clos*|swell*|swollen|tight|tighten*|constrict* ~2 throat',
    'tongue|uvula|lengua ~3 swell*|swollen|puff*|blow*_up|blown_up|huge|fat|thick*|hinch*',
    'swell*|swollen|puffy|puffed_up ~2 tongue|uvula',
    'anaphyla*|anaphala*|anafila*|anafala*|anafyla*',
    'allergic|alergic|alergica ~1 reaction|shock|attack|emergency|reaccion',
    'reaccion alergica',
    'going|went|gone|goes ~1 into ~1 anaphyla*'),
  ...group('anaphylaxis', { forbid: NOT_FOR_USE, scope: 'sentence' }, 'epipen*|epinephrine|adrenaline_pen|auto_injector'),
  ...group('anaphylaxis', { forbid: DENTAL, scope: 'sentence' },
    'lips|lip|labios ~3 swell*|swollen|puff*|blow*_up|blown_up|huge|fat|thick*|hinch*',
    'swell*|swollen|puffy|puffed_up ~2 lips|lip'),
  ...group('anaphylaxis', { require: ANAPHYLAXIS_CONTEXT, scope: 'message' },
    'face|eyes|eye|eyelids|cheeks|mouth|cara ~3 swell*|swollen|puff*|blow*_up|blown_up|hinch*',
    'swell*|swollen|puffy ~2 face|eyes|eyelids|mouth'),
  ...group('anaphylaxis', { require: /\b(breath\w*|throat|wheez\w*|swell\w*|swollen|dizz\w*|faint\w*|tongue|lips|short of breath|cant breathe|chest)\b/, scope: 'message' },
    'hives|welts'),
  ...group('anaphylaxis', { require: /\b(breath\w*|throat|wheez\w*|tongue|lips|short of breath|cant breathe)\b/, scope: 'message' },
    'rash'),

  // Suicide (988 Lifeline warning signs: wanting to die or to kill oneself, no reason to live, being a burden).
  ...group('suicide', { personal: true },
    'kill|killing|hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|unalive|unaliving|suffocate|gas|off myself|meself !laugh*|lol|lmao|haha|at_the_gym|at_work|working',
    'want|wants|wanted|wanna|wish|wishing|ready|prefer|rather|hope|hoping ~3 die|be_dead|was_dead|were_dead|dead|not_be_alive|not_wake_up|never_wake_up|not_exist|sleep_forever|disappear_forever|be_gone_forever|end_it|end_it_all|end_my_life|end_everything|end_things !of_embarrassment|of_laughter|laughing|my_hair|hair|your_hair|her_hair|his_hair|the_hair|my_clothes|clothes|eggs|easter_eggs|fabric|it_blue|it_red|my_shirt',
    'end|ending|ended ~1 it_all|my_life|my_own_life|everything|it_now|it_tonight',
    'take|taking|took ~1 my_life|my_own_life',
    'want|wanna|wish ~1 it_all|everything|life|my_life|it ~1 to? end|be_over|stop_forever',
    'point ~2 of|in ~1 living|life|going_on|being_alive|being_here|it_all',
    'wish ~2 wasnt_alive|werent_alive|was_never_born|had_never_been_born|wasnt_born|was_gone|were_gone|wasnt_here|werent_here|could_disappear',
    'nobody|noone ~2 miss_me|care_if_i_die|care_if_i_died|care_if_i_was_gone|care_if_im_gone|notice_if_i_was_gone|notice_if_i_died',
    'want|wanna|going|ready|plan*|think*|thought*|tempted|about|just|might|may|will|urge ~3 end|ending ~1 it|things|everything|me|myself|my_life',
    'dont|doesnt|no_longer|never|not ~1 want*|wish ~2 live|living|be_alive|exist|wake_up|go_on|be_here_anymore|be_here_no_more|be_on_this_earth|be_around_anymore|be_alive_anymore',
    'no|nothing|lost|dont_have_a|dont_have_any|isnt_a|isnt_any|not_a|dont_see_any|dont_see_a|cant_see_any|cant_see_a|see_no|cant_find_any|cant_find_a ~2 reason*|point|purpose|will ~3 live|living|go_on|keep_going|life|alive',
    'nothing ~2 live_for|living_for',
    'life|living ~2 not|isnt|aint|no_longer ~1 worth',
    'better_off ~2 dead|without_me|if_i_was_gone|if_i_were_gone|if_i_died|if_i_wasnt_here|if_i_werent_here|if_i_wasnt_around',
    'burden ~2 everyone|to_everyone|on_everyone|my_family|to_my_family|to_my_kids|to_everybody',
    'cant|couldnt ~1 go_on !vacation|holiday|a|the|my|trip|walks|walk|line|online|tour|cruise|that|it|this|facebook|with',
    'cant|couldnt ~1 take_it_anymore|take_this_anymore|do_this_anymore|live_like_this|take_it_any_longer|take_it_no_more|handle_life|handle_this_anymore|take_the_pain_anymore|take_life_anymore',
    'jump|jumping ~1 off|in_front_of|from ~2 bridge|building|roof|train|cliff|balcony|window|overpass|car|bus',
    'i|im|ive ~3 gun|pistol ~3 my_head|my_mouth|my_temple',
    'noose|rope ~3 ready|my_neck|around_my_neck|tied|set_up',
    'goodbye|bye ~2 cruel_world|forever|everyone_forever',
    'overdos*|od ~2 on_purpose|intentionally|deliberately',
    'want|going|plan|planning|thinking|think|ready|tempted ~2 to? overdose|take_all_my_pills|take_all_of_my_pills|take_the_whole_bottle|take_all_the_pills|take_all_of_the_pills|swallow_all_my_pills',
    'quiero|quisiera|deseo ~2 morir*|matarme|suicidarme|desaparecer',
    'me_voy_a|voy_a ~1 matar|suicidar|matarme',
    'no_quiero ~1 vivir|seguir_viviendo|despertar',
    'quitarme ~1 la_vida',
    'me ~1 quiero ~1 matar|morir|suicidar',
    'matarme|suicidarme'),
  ...group('suicide', { personal: true, forbid: ACCIDENTAL, scope: 'sentence' },
    'slit|slice|slash|cut|cutting ~1 my|both ~1 wrist|wrists|throat'),
  ...group('suicide', {}, 'suicid*|suicde|sucide|suicida !prevention|hotline|awareness|lifeline|statistics|rate|rates|squad|bomber|bombing|doors|line|watch|risk|risks|hotlines'),

  // Self-harm (988 Lifeline; NHS 999: "suicide attempt ... by self-harming").
  ...group('self_harm', { personal: true, forbid: ACCIDENTAL, scope: 'sentence' },
    'cut|cuts|cutting|burn|burned|burnt|burning|harm|harmed|harming|hurt|hurting|hit|hitting|punch*|scratch*|bang*|carv*|starv*|injur* myself|meself',
    'cut|cutting|slice|slicing ~1 my ~1 arm|arms|leg|legs|thigh|thighs|skin|stomach|body !on_a|on_the|on_some|on_my',
    'urge|urges|tempted ~2 to? cut|self_harm|harm_myself|hurt_myself|burn_myself',
    'cutting ~1 again',
    'feel_like|feeling_like|want_to_start|thinking_about|tempted_to|urge_to|want_to_go|wanna_go ~1 cutting|cutting_again|cutting_myself !my_hair|hair|the|back|down|out|carbs|sugar|class|school|work|corners|it|them|costs',
    'cortarme|lastimarme|hacerme_dano'),
  ...group('self_harm', {}, 'self_harm*|selfharm*|self_injur*|self_mutilat*'),

  // Violence and danger (NHS 999: "severe injuries after an assault"; domestic-violence safety language).
  ...group('violence', { personal: true, forbid: EXAGGERATION, scope: 'sentence' },
    '@PERSON|intruder ~4 @HARMV ~1 me|us|my_kids|the_kids|my_baby|the_baby|my_children|my_family'),
  ...group('violence', { personal: true, require: THREAT, scope: 'sentence' },
    '@PERSON ~2 has|got|grabbed|pulled|holding|with|carrying|waving ~2 a|his|her|my|the? knife|machete|bat|hammer'),
  ...group('violence', { personal: true },
    '@PERSON ~2 has|got|grabbed|pulled|holding|with|carrying|waving ~2 a|his|her|my|the? gun|weapon|pistol|rifle|shotgun !license|licence|permit|collection|safe|cabinet|class|range|show|cleaning|lock',
    '@PERSON|intruder ~2 @HARMED ~1 me|us|my_kids|the_kids|my_baby|the_baby|my_children',
    'gun|knife|weapon|machete|bat ~3 at_me|to_my_head|to_my_throat|pointed_at|on_me|at_us',
    'pointing|waving|holding|has|pulled|grabbed ~2 gun|knife|weapon ~2 at|on ~1 me|us',
    'im|we_are|were|feel|feeling|am ~2 not_safe|unsafe|in_danger|being_abused|being_attacked|being_followed|being_stalked|being_hurt|being_beaten|scared_for_my_life|afraid_for_my_life !of|to_drive|driving|to_work|to_operate|to_take|to_exercise|to_eat|to_lift|with_this|on_this|on_these',
    'dont|doesnt|not ~1 feel ~1 safe !taking|to_take|with_this|with_the|about|using|doing|driving|on_this|on_these|to_drive|with_these|on_the',
    'someone|somebody|a_man|a_guy|people|intruder|stranger ~3 break|breaking|breaks|broke|trying_to_get|trying_to_break ~1 in|into',
    'domestic|family ~1 violence|abuse',
    'i_was|ive_been|i_got|got|just_got|been|was_just|im_being|im_getting|getting|was assaulted|attacked|raped|mugged|stabbed|shot|beaten|beat_up|jumped|strangled|choked|kidnapped',
    'someone|somebody|stranger|intruder|a_man|a_guy|a_stranger ~2 in|inside ~1 my|the|our ~1 house|home|apartment|room|bedroom|garage',
    'help|ayuda ~2 hes|shes|he_is|she_is|they_are ~3 hurting|hitting|attacking|beating|choking|killing',
    'me ~1 va|quiere|van ~1 a? matar|pegar|hacer_dano|golpear',
    'me ~1 esta|estan ~1 pegando|golpeando|amenazando|ahorcando'),

  // Heart attack (CDC / AHA warning signs: chest pain or pressure; pain spreading to arm, jaw, neck or back).
  ...group('cardiac', {},
    'chest|pecho !xray|x_ray|x|tube|drain|hair|binder|cold|congest*|infection|scan|ct|film|wall|surgery|incision|scar|wound|stitches ~3 @PAIN',
    '@PAIN !med|meds|medicine|medication|medications|killer|killers|pills|pill|relief|management|clinic|doctor|specialist|patch|scale|level|score|free|bandage|dressing|stocking*|garment|wrap|ulcer|points|cuff|sore ~5 chest|pecho !xray|x_ray|tube|drain|hair|binder|cold|congest*|infection|scan|film|surgery|incision|scar|wound|stitches',
    'elephant ~4 chest',
    'sitting|standing|sat|pressing|pushing ~2 on|down_on ~1 my? chest',
    'clutch*|grabbing|grabbed|holding|clenching ~2 chest|heart',
    'heart attack|attacks|attak|atak|attac|attach|atack|attact !@NOUNX',
    'cardiac|heart ~1 arrest|stopped|stop_beating|stopped_beating|not_beating',
    'no|cant_find_a|cant_find_his|cant_find_her|cant_feel_a|cant_feel_his|cant_feel_her|cant_get_a ~1 pulse|heartbeat !ox|oximeter',
    'heart ~2 hurt*|pain*|ach*|squeez*|crush*|tight*',
    'wrong_with|its|it_is|something_with ~1 my_heart !@NOUNX|rate|health|medicine|beat|monitor|test|condition',
    '@PAIN ~3 spread*|radiat*|shoot*|going|goes|moving|travel*|runs|running ~2 down|into|to|up|in ~3 arm|arms|jaw|neck|shoulder|shoulders|back',
    'nitro|nitros|nitroglycerin|nitroglycerine|nitrostat|ntg ~4 not|didnt|doesnt|isnt|hasnt|wont|no|nothing ~2 help*|work*|anything|relief|better|stop*|go_away|gone_away|touch*',
    'took|taken|used|had|take|taking|needed ~2 #|two|three|2|3|second|third|another|another_one ~1 nitro|nitros|nitroglycerin|nitrostat|ntg',
    'infarto',
    'ataque ~2 corazon|cardiaco',
    'me ~1 duele ~2 pecho|corazon'),

  // Stroke: BE-FAST (Balance, Eyes, Face, Arm, Speech, Time) and NHS 999 ("face dropping", "sudden confusion").
  ...group('stroke', {},
    'face|facial|smile|mouth|cara|boca ~4 droop*|sag*|lopsided|crooked|uneven|slant*|twisted|paralyz*|paralys*|frozen|fallen|caida|torcida|chueca',
    'droop*|sag*|lopsided|crooked|uneven|slant*|twisted ~2 face|smile|mouth|lip|eyelid',
    '@ONE_SIDE ~1 side|half ~5 weak*|numb*|paralyz*|paralys*|heavy|dead|limp|not_working|tingl*|droop*|useless|gone|cant_move|wont_move|feels_funny|feels_weird|feels_strange',
    'half ~3 face|body ~3 @WEAK|droop*|sag*',
    'weak*|numb*|paralyz*|paralys* ~3 @ONE_SIDE ~1 @LIMB',
    'cant|couldnt ~1 move|feel|lift|raise|use|hold_up|grip|control|sentir|mover ~3 @ONE_SIDE|both ~2 @LIMB',
    '@ONE_SIDE ~1 arm|leg|hand ~3 @WEAK',
    'arm|arms|leg|legs ~3 paralyz*|paralys*|limp|useless|wont_move|went_dead',
    'arm|arms|leg|legs|face ~1 and|or ~1 leg|legs|arm|arms|face ~3 weak*|numb*|paralyz*|heavy|dead|limp',
    'sudden*|suddenly ~3 weak*|numb*|paralyz*|confus*|dizz*|blind*|vision|balance|cant_walk|cant_see|cant_talk|cant_speak|cant_stand|trouble_walking|trouble_seeing|trouble_speaking|trouble_talking|clumsy|unsteady|fell_over|double_vision|headache|head_pain|slur*|droop*',
    'confus*|dizz*|weak*|numb*|headache|vision|blind* ~2 sudden*|suddenly|came_on_fast',
    'slurred|slurring|slur|slurs|slurry_speech',
    'speech|talking|words|voice|speaking|talk|habla ~3 slur*|garbl*|jumbl*|weird|strange|funny|off|gibberish|nonsense|mixed_up|wrong|confus*|thick|drunk|raro|raras|arrastrad*|enredad*',
    'cant|couldnt ~1 speak|talk ~1 properly|clearly|normally|straight|at_all|suddenly|right_anymore',
    'cant|couldnt ~1 speak|talk ~1 right !now|away|then|here|this|at|to|with|back',
    'trouble|difficulty|hard_time|struggling|problems ~1 speaking|talking|getting_words_out|finding_words|finding_the_words|finding_my_words|with_speech|with_my_speech|saying_words !to|with|about|on',
    'cant|couldnt ~1 get|find ~2 words ~1 out',
    'cant|couldnt ~1 find ~1 the|my? words',
    'words ~3 wrong|jumbled|garbled|mixed_up|dont_make_sense|not_making_sense|not_coming_out|wont_come_out|slurred|coming_out_wrong',
    'talking|speaking|sounds|sounding ~1 funny|weird|strange|drunk|gibberish|nonsense',
    'doesnt|dont|didnt|cant ~1 know|recognize|recognise|remember ~2 where_he_is|where_she_is|where_im|where_he_was|where_she_was|who_im|who_he_is|who_she_is|me|us|his_own_name|her_own_name|my_own_name|his_name|her_name|my_name|his_family|her_family|what_year|his_wife|her_husband',
    'cant|couldnt ~1 see ~3 out_of ~2 one|left|right|eye',
    'trouble|difficulty|problems|hard_time ~1 seeing ~2 out_of|with ~2 one|left|right|my_left|my_right',
    'lost|losing|lose ~2 vision|sight|eyesight ~3 one|left|right|eye|suddenly',
    'went|going|gone|goes ~1 blind',
    'double ~1 vision|vista',
    'vista ~1 doble',
    'vision ~3 went_black|went_dark|blacked_out|gone|disappeared|went_blurry_suddenly',
    'worst ~2 headache|migraine|head_pain|headaches',
    'thunderclap|explosive|blinding ~1 headache|head_pain|pain_in_my_head',
    'headache ~3 like_a_thunderclap|like_being_hit|like_i_was_hit|exploded|suddenly',
    'head ~2 explod*|about_to_explode|going_to_explode|feels_like_its_exploding',
    'headache|head_pain ~5 stiff_neck|neck_is_stiff|cant_bend_my_neck|neck_stiff|cant_touch_my_chin',
    '<heat|sun|brush|swim*|back|breast|golf|master|pen|key|paddle|tennis|butterfly mini? stroke|strokes|stroking !of|my_cat|my_dog|the_cat|the_dog|his_hair|her_hair|my_hair|@NOUNX',
    'having|had|have|think|maybe|possible|possibly|might ~2 a_tia|tia|a_mini',
    'derrame|embolia',
    'no_puede|no_puedo ~1 mover ~3 brazo|pierna|lado|cara',
    'no_puede|no_puedo ~1 hablar_bien'),
  ...group('stroke', { forbid: ORTHOPAEDIC, scope: 'sentence' },
    'cant|couldnt ~1 move|feel|lift|raise|use|hold_up|grip ~2 arm|arms|leg|legs|hand|hands|face|side|body'),
  ...group('stroke', { forbid: CHRONIC, scope: 'sentence' },
    '@PERSON ~3 confus*|disoriented|delirious !me|us|about|by|with|on|which|what|how|why|if|whether|where|when|at|as|regarding|because|over|between|re|the|my|his|her|this|that',
    '@PERSON ~3 disoriented|delirious|not_making_sense|acting_strange|acting_weird|acting_strangely|talking_nonsense|makes_no_sense|acting_drunk'),
  ...group('stroke', { require: /\b(face|arm|leg|side|weak\w*|numb\w*|droop\w*|slur\w*|confus\w*|dizz\w*|stroke|words|vision|sudden\w*)\b/, scope: 'sentence' },
    'cant|couldnt ~1 talk|speak !right_now|now|rn|at_the_moment|because|cause|to|with|on|about|long|much|english|spanish|well|here|there|at'),
  ...group('stroke', { forbid: JOKING, scope: 'sentence' }, 'face|facial|smile|mouth ~3 drop*'),
  ...group('stroke', { forbid: DENTAL, scope: 'sentence' },
    'face|facial|mouth|lip|lips|cara|boca ~3 numb*|dormida',
    'numb* ~2 face|mouth|lip|lips'),

  // Seizure (NHS 999: "a seizure (fit)"; "shaking or jerking because of a fit"; "cannot be woken up").
  ...group('seizure', {},
    '<anti|no|prevent*|for|anticonvulsant seizure*|seizing|seized|seizer|seizers !@NOUNX|up|disorders|like',
    'convuls*|convulsion*|convulsionando|convulsiones',
    'having|had|has|have|in|throwing|threw ~1 a? fit|fits',
    'is|was|hes|shes|started|start|starting|keeps|keep|been|are|were|still|baby|kid|child|son|daughter|he|she fitting !well|nicely|fine|good|ok|right|properly|perfectly|badly|in|into|the|a',
    'epileptic|epilepsy|epilepsia ~1 fit|attack|episode|seizure|ataque',
    'ataque ~1 epileptico',
    'grand mal|tonic clonic|status epilepticus',
    'shaking|jerking|twitching|jerks|shakes ~2 uncontrollabl*|violently|all_over_and|and_foaming|and_unresponsive|and_not_responding|and_wont_respond|and_cant_respond',
    'body|arms|legs ~2 jerking|stiff_and_jerking|convuls*',
    'foaming ~2 mouth',
    'eyes ~2 rolled|rolling|roll ~1 back|up'),

  // Breathing (NHS 999: "severe difficulty breathing", "choking", "gasping", blue lips; AHA/CDC for breathlessness).
  ...group('breathing', { forbid: STUFFY, scope: 'sentence' }, 'cant|couldnt ~1 @BREATH !@BREATHX'),
  ...group('breathing', { forbid: JOKING, scope: 'sentence' },
    'choking|choke|choked|chokes|chocking|atragant* !up|me|her|him|on_my_words|on_my_tears|back_tears|back'),
  ...group('breathing', {},
    'cant|couldnt ~1 catch|get|take|draw|pull ~2 breath|breaths|air|oxygen|a_breath|a_deep_breath|my_breath',
    'not|isnt|wasnt|arent|werent|aint|stopped|stops|quit|barely|hardly|struggling_to|cant_hardly ~1 @BREATH !@BREATHX|@BREATH_FINE',
    'trouble|difficulty|difficult|difficulties|hard|harder|struggl*|problem*|issues|labored|laboured|painful|hurts|hurt|hard_time|tough_time|shallow|fast|rapid|dificultad|cuesta ~2 @BREATH !@BREATHX',
    'breathing|respiracion !@BREATHX ~2 hard|difficult*|labored|laboured|shallow|fast|rapid|weird|funny|strange|bad|worse|stopped|stopping|problem*|trouble|noisy|rattl*|gurgl*|wheez*|really_hard|harder',
    'short|shortness|shortnes ~1 of ~1 breath|breathe|air',
    'short ~1 breath|winded',
    'breathless|breathlessness|breathlessly',
    'so|very|really|extremely|super|completely|totally|constantly|keep_getting ~1 out_of_breath|winded',
    'out_of_breath ~3 rest|resting|sitting|lying|laying|talking|walking|doing_nothing|sitting_still|all_the_time',
    'gasp*|suffocat*|smother*|asphyx*|sofoc*',
    'lips|lip|face|skin|fingers|fingertips|fingernails|nails|mouth|labios|toes ~3 blue|purple|gray|grey|bluish|azul*|morad*',
    'turning|turned|going|gone|went|looks ~1 blue|purple|grey|gray|bluish',
    'wheez* ~2 bad|badly|severe|really|a_lot|cant|hard|struggl*|loud|worse|terrible',
    'asthma ~1 attack !@NOUNX',
    'inhaler|nebulizer|neb ~3 not|isnt|didnt|doesnt|wont|no|nothing ~2 help*|work*|anything|relief|better',
    'air ~1 hunger',
    'cant|couldnt ~3 full_sentences|a_full_sentence|finish_a_sentence|finish_sentences|finish_my_sentences',
    'not|isnt ~1 getting ~1 enough? air|oxygen',
    'oxygen|o2|sat|sats|saturation|spo2|pulse_ox|oxygen_level|oxygen_levels|oxigeno ~3 #LOWSAT',
    'no_puedo|no_puede ~1 respirar',
    'me ~1 ahog*',
    'ahogand*',
    'falta ~2 aire'),

  // Heavy bleeding (NHS 999: "heavy bleeding: spraying, pouring or enough to make a puddle"; coughing or vomiting blood).
  ...group('bleeding', {},
    '@BLEED !@BLOODX ~5 wont|cant|doesnt|isnt|not|never|hasnt|didnt|wouldnt ~1 stop*|slow*|quit*|clot*|ending|let_up|ease_up',
    'wont|cant|doesnt|isnt|not|never|couldnt|hasnt ~1 stop|stopped|stopping|control|slow ~2 @BLEED !@BLOODX',
    'cant|couldnt ~2 @BLEED ~2 stop|slow',
    'cant|couldnt ~3 stop ~1 bleeding|sangrar',
    'blood|bleeding ~2 keeps|keep|wont_stop|just_keeps ~1 coming|pouring|gushing|running|dripping|flowing|spurting',
    'keeps|keep|kept|still|continues|continuing|continue ~1 bleeding|pouring|gushing|spurting|squirting|sangrando !a_little|a_bit|slightly|some|lightly|a_tiny|minimal|a_tad|a_small',
    '@BLEED !@BLOODX ~2 @BLEED_MUCH',
    '@MUCH_BLOOD ~1 @BLEED !@BLOODX',
    'bleed*|bled|blood|sangr* out !of',
    'bled ~2 through|all_over|everywhere',
    'cough*|vomit*|throw*|threw|puk*|spit*|hack*|vomita*|tos|tosiendo ~2 blood|clots|sangre !@BLOODX',
    'blood|sangre ~2 in|en ~1 my? vomit|puke|throw_up|spit|sputum|phlegm|mucus|cough|vomito',
    'vomit*|throw*|threw|puk* ~3 coffee_grounds|looks_like_coffee|black_stuff',
    'wound|incision|cut|stitches|site|drain|gash|herida ~3 gushing|pouring|spurting|squirting|spraying|pumping',
    'hemorrhag*|haemorrhag*|hemorragia !@NOUNX',
    'mucha ~1 sangre',
    'no ~1 para|deja ~2 sangrar'),
  ...group('bleeding', { forbid: /\b(sweat\w*|water|shower|rain|urine|pee|coffee|tea|milk|juice|wine|beer|paint|bath)\b/, scope: 'sentence' },
    'soak*|soaked|empap* ~3 @DRESSING'),

  // Unresponsive or collapsed (NHS 999: "someone is unconscious", "cannot be woken up"; collapse).
  ...group('unresponsive', {},
    'unconscious|unresponsive|inconsciente|lifeless|out_cold|comatose !@NOUNX',
    '@PERSON ~3 not|isnt|wont|doesnt|stopped|wasnt|hasnt|no_longer ~1 respond*|responsive|reacting|moving|waking|opening_his_eyes|opening_her_eyes !to_my|to_calls|to_my_calls|to_messages|to_texts|to_emails|to_my_messages|to_treatment|to_the_medicine|to_meds|well|much|around',
    '<i|im|ive wont|cant|doesnt|isnt|not|couldnt|hard_to|difficult_to|wouldnt|hasnt|unable|impossible_to ~1 wak*|woke|arouse|rouse|come_to',
    'wont|cant|couldnt|hard_to|trying_to|try_to|tried_to|unable ~1 wak*|rouse|arouse ~1 @PERSON|my|up_my|up_him|up_her|him|her|them',
    '<almost|nearly|like|gonna|going|about|might|may|will|could|feel|feeling|feels|not passed ~1 out !from_the|of_the|the_test|my_test|the|some|flyers|papers|candy|candies|food|tickets|cards|invitations|samples|pamphlets|leaflets|gifts|treats|cookies|drinks|water|presents|programs',
    '<like|about|gonna|going|almost|nearly|feel|feeling|feels|to passing|blacking|fainting ~1 out|again|on_and_off|in_and_out',
    '<almost|nearly|like|gonna|about|to|might|may|will|feel|feeling|feels fainted|faints|blacked_out|collapsed|collapses|collapsing|keeled_over|knocked_out|blackout|blackouts !lung|lungs|vein|veins',
    '@PERSON ~2 went|is|just|has ~1 limp',
    'lost|losing|lose|loss_of ~1 consciousness|conciousness',
    'found ~1 @PERSON|my_husband|my_wife|my_mom|my_dad|my_son|my_daughter ~3 on_the_floor|on_the_ground|unconscious|not_breathing|unresponsive|passed_out|collapsed|slumped|not_moving|blue',
    'no ~1 despierta|responde|reacciona',
    'se ~1 desmayo|desmaio',
    'desmayad*'),

  // Sepsis (UK Sepsis Trust / NHS: confusion, mottled skin, extreme shivering, no urine, "feels like I might die").
  ...group('sepsis', {}, 'sepsis|septic|septicemia|septicaemia !tank|system|tanks|arthritis|@NOUNX', 'mottled|mottling'),
  ...group('sepsis', { require: FEVER, scope: 'message' },
    'confus*|disoriented|delirious|not_making_sense|very_sleepy|so_sleepy|cant_stay_awake|hard_to_wake|blotchy|discolored|discoloured',
    'shaking|shivering|shivers|shakes ~1 uncontrollabl*|violently|so_bad|really_bad|nonstop',
    'havent|hasnt|not|no|didnt ~2 peed|pee|urinated|urine|peeing|wee|pissed'),

  // Declared emergencies: the patient says it is one without saying why (NHS 999; any request for 911).
  ...group('declared', { always: true, forbid: INSTRUCTIONS, scope: 'sentence' },
    'call|calling|called|dial|dialing|dialed|need|needs|send|sending|get|phone|llam*|llame|necesito ~2 911|999|112|ambulance|an_ambulance|paramedics|ems|emergency_services|ambulancia|una_ambulancia|the_paramedics',
    'send ~1 help',
    'this_is|its|it_is|having|have|got|theres|there_is|we_have|medical|es_una|tengo_una ~1 an|a? emergency|emergencia !contact|contacts|room|number|numbers|plan|kit|fund|card|department|dept|visit|doctor',
    '<can|could|will|would|is|does|if|to|need|want someone|somebody|anyone|alguien ~1 help|ayuda|ayudeme|ayudenme me|us? $',
    '<with|for|the|your|some|any|more|no help me|us? ~1 now|quick|quickly|hurry|911|immediately|right_now|fast'),
  ...group('declared', { forbid: HYPERBOLE, scope: 'sentence' },
    'im|hes|shes|he_is|she_is|think_im|we_are|were|estoy|me_estoy ~1 dying|muriendo !of_laugh*|laugh*|to|for|lol|lmao|haha|inside|of_boredom|of_embarrassment|my_hair|of_hunger|of_thirst',
    'going_to|about_to|might|will|voy_a ~1 die|morir !of_laugh*|laughing|of_embarrassment|of_boredom|lol|haha|lmao|someday|one_day|eventually|of_hunger|of_thirst'),
  ...group('declared', {},
    'fell|fallen|fall ~4 cant|couldnt ~1 get_up|stand|stand_up|move',
    'going|went|gone|goes ~1 into ~1 shock',
    'heatstroke|heat_stroke|sunstroke|sun_stroke'),
  ...group('declared', { always: true, whole: true }, 'emergency|emergencia|sos|mayday|911|999|ambulance'),
];

// ---------------------------------------------------------------------------------------------------------------
// Compiling the pattern language to regular expressions over the canonical text ("w1 w2 | w3 " with a trailing space).
// ---------------------------------------------------------------------------------------------------------------

/** Words a gap may not swallow: a negation or a clause turn changes what the words around it mean. */
const GAP_STOP = ['but', 'however', 'although', 'though', 'except', 'yet', 'whereas', 'no', 'not', 'never', 'dont',
  'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'havent', 'hasnt', 'hadnt', 'without', 'denies', 'denied',
  'deny', 'nor', 'none', 'wont', 'cant', 'couldnt', 'wouldnt', 'shouldnt', 'aint', 'noone', 'nobody', 'pero', 'sin'];
const GAP_WORD = `(?!(?:${GAP_STOP.join('|')}) )[a-z0-9.]+ `;

function compileWord(word: string): string {
  if (word === '#') return '[0-9]+(?:\\.[0-9]+)?';
  if (word === '#10+') return '[1-9][0-9]+';
  if (word === '#LOWSAT') return '(?:[3-8][0-9])(?:\\.[0-9]+)?';
  if (!/^[a-z0-9]+\*?$/.test(word)) throw new Error(`emergency pattern: bad word "${word}"`);
  return word.endsWith('*') ? `${word.slice(0, -1)}[a-z]*` : word;
}

function compileAlternatives(alternatives: string): string {
  const compiled = alternatives.split('|').flatMap((alternative) => {
    if (!alternative.startsWith('@')) return [alternative.split(/[ _]/).map(compileWord).join(' ')];
    const set = SETS[alternative.slice(1)];
    if (!set) throw new Error(`emergency pattern: unknown set ${alternative}`);
    return set.map((entry) => entry.split(' ').map(compileWord).join(' '));
  });
  return `(?:${compiled.join('|')})`;
}

function compilePattern(pattern: string): RegExp {
  let source = '(?<=^| )';
  for (const step of pattern.split(' ')) {
    const gap = /^~(\d)$/.exec(step);
    if (gap) source += `(?:${GAP_WORD}){0,${gap[1]}}`;
    else if (step === '$') source += '(?=\\| |$)';
    else if (step.startsWith('!')) source += `(?!${compileAlternatives(step.slice(1))} )`;
    else if (step.startsWith('<')) source += `(?<!(?:^| )${compileAlternatives(step.slice(1))} )`;
    else if (step.endsWith('?')) source += `(?:${compileAlternatives(step.slice(0, -1))} )?`;
    else source += `${compileAlternatives(step)} `;
  }
  return new RegExp(source, 'g');
}

interface CompiledRule extends RuleSpec {
  regex: RegExp;
}

const RULES: readonly CompiledRule[] = RULE_SPECS.map((spec) => ({ ...spec, regex: compilePattern(spec.pattern) }));

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary: the canonical spellings the rules are written in, and the misspellings that map onto them.
// ---------------------------------------------------------------------------------------------------------------

/** Common misspellings and shorthand seen in patient texts, mapped to the words the rules use. */
const CLINICAL_VARIANTS: [string, string][] = [
  ['pian', 'pain'], ['ches', 'chest'], ['pane', 'pain'], ['payn', 'pain'], ['painn', 'pain'], ['chst', 'chest'], ['chets', 'chest'],
  ['cheast', 'chest'], ['chect', 'chest'], ['chestt', 'chest'], ['hart', 'heart'], ['hearts', 'heart'],
  ['attak', 'attack'], ['atak', 'attack'], ['attac', 'attack'], ['attact', 'attack'], ['atack', 'attack'],
  ['breth', 'breath'], ['brethe', 'breathe'], ['brath', 'breath'], ['breahte', 'breathe'], ['bref', 'breath'],
  ['breathin', 'breathing'], ['brethin', 'breathing'], ['breating', 'breathing'], ['brething', 'breathing'],
  ['seizer', 'seizure'], ['seizers', 'seizures'], ['ceasure', 'seizure'], ['ceizure', 'seizure'], ['seazure', 'seizure'],
  ['seisure', 'seizure'], ['sizure', 'seizure'], ['sezure', 'seizure'], ['seizour', 'seizure'], ['seazures', 'seizures'],
  ['sezures', 'seizures'], ['siezures', 'seizures'], ['seisures', 'seizures'],
  ['unconcious', 'unconscious'], ['unconsious', 'unconscious'], ['unconscience', 'unconscious'], ['uncontious', 'unconscious'],
  ['sucidal', 'suicidal'], ['suicidle', 'suicidal'], ['sucidle', 'suicidal'], ['suisidal', 'suicidal'],
  ['suiside', 'suicide'], ['sucide', 'suicide'], ['suicde', 'suicide'], ['suacide', 'suicide'],
  ['overdoes', 'overdose'], ['ovrdose', 'overdose'], ['overdoze', 'overdose'], ['oding', 'overdosing'], ['oded', 'overdosed'],
  // "od" and "odd" stay themselves here (not squeezed into each other); expandShorthand reads them in context.
  ['odd', 'odd'], ['od', 'od'], ['overdossed', 'overdosed'],
  ['tounge', 'tongue'], ['toung', 'tongue'], ['tung', 'tongue'], ['tonge', 'tongue'], ['throte', 'throat'], ['throut', 'throat'],
  ['slured', 'slurred'], ['slurd', 'slurred'], ['slurrd', 'slurred'], ['hedache', 'headache'], ['hedake', 'headache'],
  ['headake', 'headache'], ['headach', 'headache'], ['hedach', 'headache'], ['migrane', 'migraine'],
  ['tite', 'tight'], ['titeness', 'tightness'], ['tighness', 'tightness'], ['presure', 'pressure'], ['preasure', 'pressure'],
  ['bleding', 'bleeding'], ['bleedin', 'bleeding'], ['bleading', 'bleeding'], ['bledding', 'bleeding'], ['bleeing', 'bleeding'],
  ['blod', 'blood'], ['bld', 'blood'], ['bloood', 'blood'],
  ['kms', 'kill myself'], ['myslef', 'myself'], ['myslf', 'myself'], ['mysef', 'myself'], ['meself', 'myself'],
  ['mself', 'myself'], ['myselfe', 'myself'], ['ded', 'dead'], ['liv', 'live'], ['dyin', 'dying'], ['dieing', 'dying'],
  ['anafalactic', 'anaphylactic'], ['anaphalactic', 'anaphylactic'], ['anaphylatic', 'anaphylactic'],
  ['anafylaxis', 'anaphylaxis'], ['anaphalaxis', 'anaphylaxis'], ['anafalaxis', 'anaphylaxis'], ['alergic', 'allergic'],
  ['alergy', 'allergy'], ['epipin', 'epipen'],
  ['chokin', 'choking'], ['chocking', 'choking'], ['choaking', 'choking'], ['chocked', 'choked'], ['gaspin', 'gasping'],
  ['numbnes', 'numbness'], ['numness', 'numbness'], ['droopin', 'drooping'],
  ['confussed', 'confused'], ['confuzed', 'confused'], ['unresposive', 'unresponsive'], ['unresponsve', 'unresponsive'],
  ['colapsed', 'collapsed'], ['collasped', 'collapsed'], ['fanted', 'fainted'],
  ['pils', 'pills'], ['pillz', 'pills'], ['bottel', 'bottle'], ['botle', 'bottle'],
  ['elefant', 'elephant'], ['sob', 'sob'], ['hemorage', 'hemorrhage'], ['hemmorage', 'hemorrhage'],
  ['hemmorhage', 'hemorrhage'], ['haemorage', 'hemorrhage'], ['wheesing', 'wheezing'], ['weezing', 'wheezing'],
  ['weezin', 'wheezing'], ['wheezin', 'wheezing'], ['inhailer', 'inhaler'], ['inhaller', 'inhaler'],
  ['nitroglycerine', 'nitroglycerin'],
  ['heartattack', 'heart attack'], ['chestpain', 'chest pain'], ['cantbreathe', 'cant breathe'], ['cantbreath', 'cant breath'],
  ['selfharm', 'self harm'],
];

/** Word sequences spelled as one word (or the other way round) before matching. */
const CLINICAL_PHRASES: [string, string][] = [
  ['head ache', 'headache'], ['head aches', 'headaches'], ['epi pen', 'epipen'], ['over dose', 'overdose'],
  ['over dosed', 'overdosed'], ['over dosing', 'overdosing'], ['all of a sudden', 'suddenly'], ['out of nowhere', 'suddenly'],
  ['out of the blue', 'suddenly'], ['to many', 'too many'], ['to much', 'too much'], ['2 many', 'too many'],
  ['2 much', 'too much'], ['hole bottle', 'whole bottle'], ['heat attack', 'heart attack'], ['x ray', 'xray'],
  ['nose bleed', 'nosebleed'], ['un conscious', 'unconscious'], ['un responsive', 'unresponsive'], ['sui cide', 'suicide'],
];

/** Long, distinctive words that absorb near-miss typos; short words only get the explicit variants above. */
const FUZZY_TARGETS = [
  'breathe', 'breathing', 'bleeding', 'seizure', 'seizures', 'seizing', 'unconscious', 'unresponsive', 'suicide',
  'suicidal', 'overdose', 'overdosed', 'overdosing', 'anaphylaxis', 'anaphylactic', 'swelling', 'swollen', 'convulsing',
  'convulsion', 'convulsions', 'pressure', 'tightness', 'crushing', 'squeezing', 'numbness', 'drooping', 'slurred',
  'slurring', 'confused', 'confusion', 'headache', 'vomiting', 'coughing', 'myself', 'choking', 'throat', 'tongue',
  'stroke', 'attack', 'collapsed', 'fainted', 'hemorrhage', 'hemorrhaging', 'wheezing', 'gasping', 'suffocating',
  'allergic', 'reaction', 'epipen', 'breathless', 'shortness', 'struggling', 'difficulty', 'paralyzed', 'weakness',
  'unalive', 'emergency', 'ambulance', 'elephant', 'radiating', 'spreading', 'disoriented', 'delirious', 'bandage',
  'dressing', 'soaked', 'soaking', 'through', 'everywhere', 'uncontrollably', 'stopping', 'breath', 'inhaler',
  'nitroglycerin', 'narcan', 'naloxone', 'intruder', 'threatening', 'worthless', 'hopeless', 'reason', 'anymore',
  'burden', 'dying', 'kill', 'killing', 'respond', 'responding', 'waking', 'passed', 'blacked', 'squeezed', 'crushed',
];

/**
 * Everyday words one typo away from a clinical word, kept as they are so they are never "corrected" into an
 * emergency ("heard" is not "heart", "strike" is not "stroke"). Found by checking the fuzzy targets against an
 * English word list.
 */
const PROTECTED_WORDS = [
  'heard', 'hearth', 'heat', 'chess', 'cheat', 'chose', 'chase', 'breed', 'bread', 'brood', 'flood', 'strike',
  'stoke', 'strobe', 'striker', 'trough', 'thorough', 'throats', 'thread', 'pissed', 'paused', 'parsed', 'dyeing',
  'drooling', 'drooped', 'odd', 'oddly', 'overdue', 'overdo', 'overdone', 'reasons', 'season', 'dressing',
  'addressing', 'kidding', 'killer', 'swelled', 'stuffing', 'breadth', 'breathy', 'blocked', 'attach', 'attached',
  'stroked', 'conclusion', 'confuse', 'concussion', 'waxing', 'walking', 'baking', 'taking', 'making', 'faking',
  'raking', 'wading', 'soaking', 'smoking', 'stocking', 'stroking', 'shoking', 'joking', 'coking', 'cooking',
  'hooking', 'looking', 'booking', 'chocolate', 'gassing', 'passing', 'massing', 'gushing', 'rushing', 'pushing',
  'crashing', 'brushing', 'blushing', 'flushing', 'crushed', 'brushed', 'through', 'everywhere', 'threatened',
  'reaction', 'narcan', 'burden', 'burdens', 'border', 'warden', 'hopeless', 'emergent', 'emerge', 'passed',
  'blacked', 'backed', 'blanked', 'breach', 'breaching', 'breading', 'breasting', 'broaching', 'breeding', 'spurred',
  'spurring', 'squeaked', 'squeaking', 'squealed', 'squealing', 'squeegee', 'staked', 'staking', 'stamping',
  'stapling', 'steeping', 'stepping', 'stomping', 'storming', 'strapping', 'striping', 'stripping', 'stoop',
  'stooped', 'stooping', 'strode', 'strove', 'straggling', 'swearing', 'sweating', 'sweeping', 'swerving',
  'swilling', 'swirling', 'coaching', 'couching', 'counting', 'coupling', 'coursing', 'courting', 'compulsion',
  'compulsions', 'conclusions', 'concussions', 'contusion', 'contusions', 'conversion', 'conversions', 'conversing',
  'consulting', 'confessed', 'confided', 'confined', 'conjured', 'consumed', 'confession', 'collusion', 'crashed',
  'cresting', 'crisping', 'crossing', 'crouching', 'cruising', 'crunching', 'crusading', 'crusted', 'delicious',
  'homeless', 'hornless', 'hooping', 'hopping', 'inhale', 'inhaled', 'inhales', 'kipling', 'lame', 'overrode',
  'overtone', 'pasted', 'pooped', 'radiation', 'radiations', 'radioing', 'rapped', 'reduction', 'refraction',
  'rejection', 'relation', 'rescinding', 'threat', 'threats', 'token', 'toss', 'wheeling', 'wed', 'heartache',
  'heartburn', 'chowing', 'waring', 'collared', 'collated', 'smocking', 'shocking', 'choosing', 'cheating',
  'chewing', 'checking', 'clocking', 'cloaking', 'croaking', 'stroll', 'strolled', 'stoked', 'stroker', 'strikes',
  'striking', 'slurped', 'slurping', 'suited', 'suicides', 'bleached', 'bleaching', 'bloody', 'bloom', 'blond',
  'blonde', 'breast', 'breasts', 'brat', 'brash', 'death', 'dreading', 'breeze', 'breezing', 'seized', 'seize',
  'seizes', 'pressured', 'pressures', 'impressed', 'depressed', 'depressing', 'dressed', 'dresser', 'addressed',
  'gassed', 'gasping', 'grasping', 'rasping', 'clasping', 'pausing', 'posing', 'poising', 'poisoned', 'prisoned',
  'personal', 'fainter', 'painted', 'tainted', 'fainting', 'bleating', 'bleeping', 'blending', 'blessing',
  'blooding', 'dripping', 'drowsing', 'drying', 'spelling', 'selling', 'shelling', 'shopping', 'sopping', 'slopping',
  'speeding', 'spending', 'spearing', 'sharpness', 'shortest', 'shortens', 'overcome', 'overcoming', 'overdoing',
  'overjoyed', 'overused', 'overusing', 'overbore', 'sizing', 'waging', 'waning', 'slumping', 'slugging', 'deed',
  'gaping', 'gashing', 'felling', 'dreaming', 'dredging', 'soon', 'noon', 'bee', 'goo', 'reed', 'allergies',
  'allergy', 'allergen', 'allergens', 'allergist', 'emergence', 'smoother', 'scarred', 'loose', 'loot',
  'soaring', 'soared', 'socked', 'snaked', 'notches',
];

/** Number words, so "took twenty pills" reads like "took 20 pills". */
const NUMBER_WORDS: [string, string][] = [
  ['ten', '10'], ['eleven', '11'], ['twelve', '12'], ['dozen', '12'], ['fifteen', '15'], ['twenty', '20'],
  ['thirty', '30'], ['forty', '40'], ['fifty', '50'], ['sixty', '60'], ['hundred', '100'],
];

/** Words that may be pulled apart when a patient runs them together ("chestpain", "cantbreathe", "wontstop"). */
const SPLITTABLE = ['chest', 'heart', 'pain', 'pains', 'hurts', 'hurt', 'hurting', 'attack', 'cant', 'breathe', 'breath',
  'breathing', 'bleeding', 'blood', 'wont', 'stop', 'stopping', 'self', 'harm', 'kill', 'myself', 'face', 'arm', 'left',
  'right', 'numb', 'throat', 'tongue', 'swelling', 'passed', 'out', 'help', 'want', 'die', 'suicidal', 'seizure',
  'stroke', 'tight', 'pressure', 'short', 'sob', 'overdose', 'took', 'whole', 'bottle', 'too', 'many', 'much',
  'wake', 'not', 'dont', 'no', 'heavy', 'lips', 'blue', 'turning', 'feel', 'my', 'end', 'life'];

/** Negation cues (NegEx pre-negation triggers) in canonical spelling. */
const NEGATION_CUES = new Set(['no', 'not', 'never', 'without', 'denies', 'denied', 'deny', 'denying', 'none', 'nor',
  'neither', 'zero', 'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'havent', 'hasnt', 'hadnt', 'aint',
  'almost', 'nearly', 'sin', 'nunca', 'ni', 'nope', 'nah']);
/** Two-word cues whose first word is not a cue on its own. */
const NEGATION_PAIRS = new Set(['free of', 'negative for', 'ruled out', 'rule out', 'absence of']);
/** Negation words that start a phrase meaning something else ("not sure", "no change", "not ok"): NegEx pseudo-triggers. */
const PSEUDO_NEGATIONS = new Set(['not sure', 'not certain', 'dont know', 'didnt know', 'doesnt know', 'dont understand',
  'no idea', 'not only', 'not just', 'no change', 'not better', 'no better', 'not improving', 'not helping', 'didnt help',
  'doesnt help', 'not working', 'didnt work', 'doesnt work', 'not ok', 'not good', 'not well', 'not fine', 'not great',
  'not doing', 'not feeling', 'no way', 'no matter', 'dont care', 'no relief', 'not getting', 'isnt getting', 'isnt helping',
  'isnt working', 'hasnt helped', 'cant tell', 'not right', 'no clue', 'no one', 'not anymore', 'nor do',
  'no doubt', 'not stopping', 'not responding', 'never mind', 'not even', 'dont think', 'no seas', 'no se', 'no puedo']);
/** A negation does not reach past a new subject: "I'm not ok I want to die" is two statements. */
const SUBJECT_BREAKERS = new Set(['i', 'im', 'ive', 'id', 'he', 'hes', 'she', 'shes', 'they', 'theyre', 'we', 'it',
  'its', 'this', 'that', 'thats', 'there', 'theres', 'you', 'youre', 'yo', 'my']);
/** Clause turns that end a negation's reach ("no fever but crushing chest pain"). */
const SOFT_TERMINATORS = new Set(['but', 'however', 'although', 'though', 'except', 'yet', 'whereas', 'pero', 'aunque',
  'still', 'now']);
/** "and" ends a clause only when a new subject or time follows ("no fever and now chest pain"). */
const AND_FOLLOWERS = new Set(['now', 'then', 'suddenly', 'today', 'tonight', 'again', 'i', 'im', 'ive', 'my', 'he',
  'hes', 'she', 'shes', 'his', 'her', 'it', 'its', 'they', 'we', 'this', 'that', 'ahora', 'also']);
/** Words after a symptom that say it is over ("chest pain is gone", "bleeding stopped"): NegEx post-triggers. */
const POST_CUES = new Set(['gone', 'resolved', 'subsided', 'disappeared', 'stopped', 'eased', 'free', 'cleared',
  'went away', 'gone away', 'go away', 'cleared up', 'better now', 'fine now', 'ok now', 'normal now', 'back to normal',
  'ruled out', 'under control', 'is over', 'was over', 'its over', 'has passed', 'it passed', 'no longer', 'passed now',
  'has stopped', 'se fue', 'ya paso']);
/** After a clause turn, these still talk about the symptom just named ("..., but it's gone now"). */
const REFERS_BACK = new Set(['it', 'its', 'that', 'thats', 'now', 'which', 'the', 'all']);
const ANSWER_NO = new Set(['no', 'none', 'nope', 'nah', 'negative', 'never', 'zero', '0', 'denies', 'nada', 'ninguno']);
const RELAPSE = new Set(['back', 'again', 'returned', 'returning', 'restarted', 'worse', 'worsening']);
/** After "gone", these mean it is not over: "gone on for hours", "gone numb". */
const STILL_ON = new Set(['on', 'through', 'up', 'blue', 'numb', 'dead', 'weak', 'limp', 'bad', 'worse', 'crazy', 'black', 'dark', 'grey', 'gray', 'white', 'pale', 'cold', 'into']);
/** Before a post-trigger, these mean the opposite ("hasn't stopped", "won't go away"). */
const POST_GUARDS = new Set(['not', 'never', 'hasnt', 'havent', 'hadnt', 'wont', 'didnt', 'isnt', 'doesnt', 'arent',
  'wasnt', 'cant', 'couldnt', 'still', 'yet', 'barely', 'hardly', 'no', 'nothing', 'wouldnt', 'almost', 'nearly']);

const LEXICON = buildLexicon({
  known: [
    ...RULE_SPECS.flatMap((rule) => rule.pattern.split(/[ |_!<?~@]+/)),
    ...Object.values(SETS).flat().flatMap((entry) => entry.split(' ')),
    ...NEGATION_CUES, ...SUBJECT_BREAKERS, ...SOFT_TERMINATORS, ...AND_FOLLOWERS, ...PROTECTED_WORDS,
    ...[...PSEUDO_NEGATIONS, ...POST_CUES, ...NEGATION_PAIRS].flatMap((phrase) => phrase.split(' ')),
  ].filter((word) => /^[a-z0-9]+$/.test(word)),
  variants: [...CLINICAL_VARIANTS, ...NUMBER_WORDS],
  phrases: CLINICAL_PHRASES,
  fuzzyTargets: FUZZY_TARGETS,
  prefixes: [...RULE_SPECS.map((rule) => rule.pattern), ...Object.values(SETS).flat()]
    .flatMap((pattern) => pattern.split(/[ |_!<?~@]+/))
    .filter((word) => /^[a-z]+\*$/.test(word))
    .map((word) => word.slice(0, -1)),
  splittable: SPLITTABLE,
});

// ---------------------------------------------------------------------------------------------------------------
// Context-dependent shorthand: "sob" and "od" mean something else often enough to need their neighbours.
// ---------------------------------------------------------------------------------------------------------------

/** "sob" means short of breath after these words ("im sob", "very sob"), not "I sob at night". */
const SOB_BEFORE = new Set(['im', 'am', 'feel', 'feeling', 'feels', 'felt', 'very', 'really', 'so', 'more', 'getting',
  'got', 'gets', 'bit', 'little', 'bad', 'severe', 'real', 'extremely', 'super', 'kinda', 'having', 'been', 'become',
  'becoming', 'was', 'is', 'increased', 'worsening', 'worse', 'and', 'with', 'hes', 'shes', 'still']);
const SOB_NEAR = /\b(chest|breath\w*|wheez\w*|cough\w*|dizz\w*|pain|tight\w*|swell\w*|swollen|fever|oxygen|o2|inhaler|lips|blue|walking|stairs|lying|exertion)\b/;
/** "od" is an overdose after a subject ("he od", "i think i od"); otherwise it is the eye-drop "OD". */
const OD_BEFORE = new Set(['i', 'he', 'she', 'they', 'we', 'hes', 'shes', 'im', 'just', 'think', 'may', 'might',
  'possibly', 'probably', 'accidentally', 'accidental', 'has', 'have', 'had', 'did', 'someone', 'somebody', 'who', 'son',
  'daughter', 'husband', 'wife', 'friend', 'brother', 'sister', 'mom', 'dad', 'boyfriend', 'girlfriend', 'kid',
  'patient', 'almost', 'nearly', 'maybe', 'to', 'a', 'an', 'gonna', 'going']);

function expandShorthand(tokens: readonly CanonicalToken[]): CanonicalToken[] {
  const text = tokens.map((token) => token.word).join(' ');
  return tokens.flatMap((token, index) => {
    const before = tokens[index - 1]?.word ?? '';
    const after = tokens[index + 1]?.word ?? '';
    const as = (words: string): CanonicalToken[] => words.split(' ').map((word) => ({ word, from: token.from, to: token.to }));
    if (token.word === 'sob' && (SOB_BEFORE.has(before) || SOB_NEAR.test(text))) return as('short of breath');
    if (token.word === 'od' && (OD_BEFORE.has(before) || after === 'on')) return as(['a', 'an', 'to', 'gonna', 'going'].includes(before) ? 'overdose' : 'overdosed');
    if (token.word === 'odd' && ((OD_BEFORE.has(before) && !['a', 'an', 'to'].includes(before)) || after === 'on')) return as('overdosed');
    return [token];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Context around a match: negation, history and information questions (NegEx / ConText, simplified).
// ---------------------------------------------------------------------------------------------------------------

const NEGATION_WINDOW = 5;
const POST_WINDOW = 6;

function isTerminator(words: readonly string[], index: number): boolean {
  const word = words[index] ?? CLAUSE_BREAK;
  if (word === CLAUSE_BREAK || SOFT_TERMINATORS.has(word)) return true;
  return (word === 'and' || word === 'y') && AND_FOLLOWERS.has(words[index + 1] ?? '');
}

function pairAt(words: readonly string[], index: number): string {
  return `${words[index] ?? ''} ${words[index + 1] ?? ''}`;
}

function isNegated(words: readonly string[], start: number, end: number): boolean {
  for (let index = start - 1; index >= 0 && index >= start - 1 - NEGATION_WINDOW; index--) {
    const word = words[index] ?? '';
    if (isTerminator(words, index) || SUBJECT_BREAKERS.has(word)) break;
    if (PSEUDO_NEGATIONS.has(pairAt(words, index))) continue;
    if (NEGATION_PAIRS.has(pairAt(words, index))) return true;
    // "no the bleeding won't stop": an answer to a question, not a negation of what follows.
    if ((word === 'no' || word === 'nope' || word === 'nah') && ['the', 'his', 'her', 'our', 'your'].includes(words[index + 1] ?? '')) continue;
    if (NEGATION_CUES.has(word)) return true;
  }
  // A form-style answer: "chest pain? no", "Chest pain: none", "SOB - no".
  const answer = words[end] === CLAUSE_BREAK ? end + 1 : end;
  if (ANSWER_NO.has(words[answer] ?? '') && (answer + 1 === words.length || words[answer + 1] === CLAUSE_BREAK)) return true;
  let crossed = false;
  for (let index = end; index < words.length && index < end + POST_WINDOW; index++) {
    // "nobody would miss me if I was gone": a condition, not a symptom that has passed.
    if (words[index] === 'if') break;
    if (isTerminator(words, index)) {
      // "chest pain earlier, but it's gone now": one turn may still refer back to the symptom.
      const next = words[index + 1] === 'but' || words[index + 1] === CLAUSE_BREAK ? index + 2 : index + 1;
      if (crossed || !REFERS_BACK.has(words[next] ?? '')) break;
      crossed = true;
      index = next - 1;
      continue;
    }
    const word = words[index] ?? '';
    const cue = POST_CUES.has(pairAt(words, index)) || (POST_CUES.has(word) && !STILL_ON.has(words[index + 1] ?? ''));
    // "it stopped for a minute but came back" is not over.
    const relapsed = words.slice(index + 1, index + 7).some((after) => RELAPSE.has(after));
    if (cue && !POST_GUARDS.has(words[index - 1] ?? '') && !relapsed) return true;
  }
  return false;
}

/** The clause around a match, bounded by clause breaks and turns. */
function clauseBounds(words: readonly string[], start: number, end: number, isEdge: (index: number) => boolean): [number, number] {
  let first = start;
  while (first > 0 && !isEdge(first - 1)) first--;
  let last = end;
  while (last < words.length && !isEdge(last)) last++;
  return [first, last];
}

/** Time and family-history markers (ConText "historical"): the event is not happening now. */
const HISTORY_MARKERS = [
  /\b(?:[0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|couple|many|several|some|couple of) (?:years?|months?|decades?|weeks?) (?:ago|back|before)\b/,
  /\b(?:years|months|decades|ages) (?:ago|back)\b/,
  /\blast (?:year|month|summer|winter|spring|fall|autumn|christmas|decade)\b/,
  /\bin (?:19|20)[0-9]{2}\b/, /\bback in\b/, /\b(?:in|during) (?:high school|college|school|my twenties|my teens|my youth)\b/, /\b(?:history|hx) of\b/, /\bused to\b/, /\bin the past\b/,
  /\bas a (?:child|kid|teen|teenager|baby|youngster)\b/, /\bwhen i was (?:a |little|young|younger|small|[0-9]|in |pregnant)/,
  /\b(?:previous|prior|past|old|earlier|first) (?:heart attack|stroke|strokes|seizure|seizures|overdose|overdoses)\b/,
  /\b(?:since|after|before|from) (?:my|his|her|their|the) (?:last |previous |first )?(?:heart attack|stroke|seizure|overdose|bypass|cardiac arrest|suicide attempt)\b/,
  /\b(?:died|passed away|death) (?:of|from|by)\b/, /\bfamily history\b/, /\bruns in (?:my|the|our) family\b/,
];

/** A past event said to be back ("had a stroke in 2019 and it's happening again") is a present one. */
const HAPPENING_AGAIN = /\b(happening again|again right now|same thing again|like last time|like it did|feels the same|same as last time|same feeling|is happening|its happening|having another|another one|like this|right now|currently|again)\b/;

function isHistorical(words: readonly string[], start: number, end: number): boolean {
  const [first, last] = clauseBounds(words, start, end, (index) => isTerminator(words, index));
  const before = words.slice(first, end).join(' ');
  const after = words.slice(end, last).join(' ');
  const dated = HISTORY_MARKERS.some((marker) => {
    if (marker.test(before)) return true;
    // "my chest hurts like when I had my heart attack 2 years ago": the date belongs to the comparison.
    const found = marker.exec(after);
    return found !== null && !/\b(like|when|than|since|as)\b/.test(after.slice(0, found.index));
  });
  return dated && !HAPPENING_AGAIN.test(words.join(' '));
}

/** The patient (or someone with them) is the one experiencing it: "I", "my", "he", "having", "feel". */
const EXPERIENCERS = new Set(['i', 'im', 'ive', 'id', 'me', 'my', 'mine', 'myself', 'he', 'hes', 'she', 'shes', 'him',
  'his', 'her', 'they', 'theyre', 'them', 'their', 'we', 'our', 'us', 'mi', 'tengo', 'estoy', 'tiene', 'siento',
  'having', 'experiencing', 'suffering', 'showing', 'worried', 'scared', 'afraid', 'concerned', 'normal', 'ok',
  'worry', 'frightened', 'terrified', 'again', 'still', 'now', 'currently']);
/** Verbs of experience; they count unless their subject is generic ("can you have", "to have"). */
const EXPERIENCE_VERBS = new Set(['have', 'has', 'had', 'got', 'gets', 'getting', 'get', 'feel', 'feels', 'feeling', 'felt']);
const GENERIC_SUBJECTS = new Set(['you', 'to', 'people', 'someone', 'one', 'person', 'ya', 'yall', 'can', 'could',
  'may', 'might', 'will', 'would', 'should', 'does', 'anyone', 'somebody', 'women', 'men', 'kids', 'patients']);
/** "this", "it": the patient's own situation when right before the match ("is this a stroke?"). */
const NEAR_DEMONSTRATIVES = new Set(['this', 'that', 'it', 'its', 'these', 'thats', 'esto', 'eso']);
/** After "this" / "it", these make it the patient's own situation: "is this a stroke?", "it feels like a heart attack". */
const LINKING = new Set(['a', 'an', 'be', 'is', 'was', 'feels', 'feel', 'felt', 'looks', 'look', 'seems', 'seem', 'sounds',
  'might', 'may', 'could', 'must', 'really', 'just', 'like', 'actually']);
/** Words that ask for information rather than report a symptom ("signs of", "risk of", "learn about"). */
const INFO_CUES = new Set(['signs', 'sign', 'symptoms', 'symptom', 'warning', 'risk', 'risks', 'chance', 'chances',
  'odds', 'likelihood', 'prevent', 'prevention', 'preventing', 'prevents', 'avoid', 'avoiding', 'learn', 'learning',
  'read', 'reading', 'info', 'information', 'education', 'educational', 'video', 'videos', 'article', 'articles',
  'pamphlet', 'leaflet', 'facts', 'definition', 'define', 'explain', 'difference', 'types', 'kinds', 'statistics',
  'stats', 'screening', 'lower', 'lowers', 'lowering', 'reduce', 'reduces', 'reducing', 'sintomas', 'senales', 'riesgo',
  'prevenir', 'tips', 'recognize', 'recognise', 'spot', 'identify']);
/** Before "about", these make it a request for information ("learn about", "tell me about"). */
const ABOUT_ASKERS = new Set(['learn', 'read', 'know', 'info', 'information', 'question', 'questions', 'tell', 'more',
  'talk', 'facts', 'video', 'article', 'ask', 'asking', 'educate', 'teach', 'me']);
const SKIPPABLE = new Set(['the', 'any', 'some', 'all', 'of', 'a', 'an', 'these', 'those', 'early', 'warning', 'first']);
/** A clause starting with these is a question. */
const QUESTION_STARTS = new Set(['is', 'are', 'was', 'were', 'does', 'do', 'did', 'can', 'could', 'would', 'will',
  'should', 'what', 'whats', 'how', 'hows', 'why', 'which', 'who', 'when', 'where', 'tell', 'explain', 'define',
  'describe', 'any', 'que', 'cuales', 'cual', 'como', 'es', 'son', 'puede', 'pueden', 'cuando']);
/** Before "if", these make it "whether" (a real worry), not a hypothetical: "not sure if I'm having a stroke". */
const IF_EMBEDDERS = new Set(['know', 'sure', 'wonder', 'wondering', 'wondered', 'ask', 'asking', 'asked', 'tell',
  'see', 'check', 'unsure', 'question', 'certain', 'mean', 'bad', 'normal', 'ok', 'worry', 'worried', 'concerned',
  'matter', 'serious', 'dangerous', 'what', 'even', 'as']);
const SUBJECTS = new Set(['i', 'im', 'ive', 'you', 'youre', 'he', 'hes', 'she', 'shes', 'we', 'they', 'theyre', 'my',
  'his', 'her', 'our', 'their', 'someone', 'somebody', 'u']);
const FUTURE_GERUNDS = new Set(['having', 'getting', 'developing', 'another']);
const FEARS = new Set(['worried', 'worry', 'scared', 'afraid', 'fear', 'fearful', 'nervous', 'anxious', 'concerned', 'terrified', 'paranoid']);
const WHEN_ASKING = new Set(['should', 'to', 'do', 'does', 'would', 'will', 'is', 'are', 'can', 'must']);
const FUTURE_VERBS = new Set(['get', 'gets', 'have', 'has', 'develop', 'develops', 'start', 'starts', 'ever', 'had', 'were',
  'go', 'goes', 'take', 'took']);
const CAUSE_VERBS = new Set(['cause', 'give', 'trigger', 'bring', 'lead', 'provoke', 'induce']);
const MODAL_QUESTION_STARTS = new Set(['can', 'could', 'does', 'do', 'will', 'would', 'might', 'may', 'did', 'puede', 'pueden']);
/** "watch for bleeding that won't stop", "look out for": instructions about what to watch for. */
const WATCHERS = new Set(['watch', 'look', 'out', 'monitor', 'check', 'screen', 'alert', 'lookout']);
/** Anywhere in the message, these say the patient has it now even if the clause with the symptom asks a question. */
const PRESENT_REPORT = /\b(i have (it|this|that|them) (right )?now|im having (it|this|that|them)|i have it|its happening|happening (to me )?(right )?now|i feel it (right )?now|right now)\b/;
const GENERIC_PEOPLE = new Set(['someone', 'somebody', 'you', 'a', 'an', 'people', 'your', 'anyone', 'one', 'person',
  'women', 'men', 'kids', 'children', 'patients', 'elderly', 'older']);
/** After the match, these mean the patient is asking about their own symptom: "is bleeding like this normal?". */
const CONCERN_AFTER = new Set(['normal', 'ok', 'serious', 'dangerous', 'concerning', 'worrying', 'emergency',
  'worried', 'bad', 'again', 'now', 'still', 'today', 'tonight']);
const TOPIC_AFTER = new Set(['signs', 'sign', 'symptoms', 'symptom', 'warning', 'risk', 'risks', 'prevention', 'facts',
  'info', 'information', 'awareness', 'statistics', 'stats']);

/**
 * Is the match part of a question asking for information or a hypothetical ("what should I do if I get chest
 * pain?") rather than a report? The nearest cue before the match decides: "what are the signs of a stroke" asks,
 * "what do I do, I have chest pain" reports.
 */
function isInformational(words: readonly string[], start: number, end: number): boolean {
  const isTurn = (index: number): boolean => {
    const word = words[index] ?? CLAUSE_BREAK;
    return word === CLAUSE_BREAK || (SOFT_TERMINATORS.has(word) && word !== 'now' && word !== 'still');
  };
  const [first, last] = clauseBounds(words, start, end, isTurn);
  if (words.slice(end, last).some((word) => CONCERN_AFTER.has(word))) return false;
  if (PRESENT_REPORT.test(words.join(' '))) return false;

  // Hypothetical: "if" (not "whether") with the match inside the if-clause, i.e. before a second subject.
  for (let index = start - 1; index >= first; index--) {
    const word = words[index] ?? '';
    // "how do you know if someone is having a stroke": about people in general, so a question for education.
    if ((word === 'if' || word === 'when') && GENERIC_PEOPLE.has(words[index + 1] ?? '')) return true;
    // "when should I call about ...", "when to worry about ...": asking for a rule, not reporting.
    if (word === 'when' && WHEN_ASKING.has(words[index + 1] ?? '')) return true;
    // "what if I get a seizure while driving" looks ahead; "what if this is a stroke" is a worry about now.
    const whatIfAhead = word === 'if' && words[index - 1] === 'what' && FUTURE_VERBS.has(words[index + 2] ?? '');
    const isHypothetical = (word === 'if' && (!IF_EMBEDDERS.has(words[index - 1] ?? '') || whatIfAhead)) || word === 'unless' ||
      word === 'whenever' || word === 'incase' || pairAt(words, index) === 'in case' || pairAt(words, index) === 'en caso';
    if (!isHypothetical) continue;
    const subjects = words.slice(index + 1, start).filter((between) => SUBJECTS.has(between)).length;
    if (subjects <= 1) return true;
    break;
  }
  // "could my new pills cause a stroke?": a question about a possible effect (but "is it causing ..." presupposes it).
  let beforeMatch = start - 1;
  while (beforeMatch > first && SKIPPABLE.has(words[beforeMatch] ?? '')) beforeMatch--;
  if (CAUSE_VERBS.has(words[beforeMatch] ?? '') && MODAL_QUESTION_STARTS.has(words[first] ?? '')) return true;
  // "can I get a stroke from this?", "will he have a seizure": a question about risk, not a report.
  if (['can', 'could', 'will', 'would', 'might', 'may'].includes(words[first] ?? '') && SUBJECTS.has(words[first + 1] ?? '') &&
    ['get', 'have', 'develop', 'suffer', 'cause', 'give', 'experience'].includes(words[first + 2] ?? '') && start <= first + 5) {
    return true;
  }
  for (let index = start - 1; index >= first; index--) {
    const word = words[index] ?? '';
    const asksAbout = word === 'about' && (ABOUT_ASKERS.has(words[index - 1] ?? '') || ABOUT_ASKERS.has(words[index - 2] ?? ''));
    const watchFor = word === 'for' && WATCHERS.has(words[index - 1] ?? '');
    if (INFO_CUES.has(word) || asksAbout || watchFor) {
      let before = index - 1;
      while (before >= first && SKIPPABLE.has(words[before] ?? '')) before--;
      const owner = words[before] ?? '';
      return !(EXPERIENCE_VERBS.has(owner) || ['having', 'showing', 'show', 'shows', 'experiencing'].includes(owner));
    }
    // "worried about having a stroke" fears the future; "worried about my chest pain" reports the present.
    if (FUTURE_GERUNDS.has(word) && ['about', 'of'].includes(words[index - 1] ?? '') && FEARS.has(words[index - 2] ?? '')) return true;
    if (EXPERIENCERS.has(word)) return false;
    if (EXPERIENCE_VERBS.has(word) && !GENERIC_SUBJECTS.has(words[index - 1] ?? '')) return false;
    const next = words[index + 1] ?? '';
    const adjacent = index + 1 === start && word !== 'that' && word !== 'thats';
    if (NEAR_DEMONSTRATIVES.has(word) && start - index <= 3 && (adjacent || LINKING.has(next))) return false;
  }
  if (TOPIC_AFTER.has(words[end] ?? '')) return true;
  return QUESTION_STARTS.has(words[first] ?? '') && first < start;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API.
// ---------------------------------------------------------------------------------------------------------------

/** Bounds the work per message (tens of milliseconds at worst at this size); far above any SMS or chat message. */
const MAX_CHARS = 20_000;

function sentenceText(words: readonly string[], start: number, end: number): string {
  const [first, last] = clauseBounds(words, start, end, (index) => words[index] === CLAUSE_BREAK);
  return words.slice(first, last).join(' ');
}

/**
 * Every kind of emergency found in a message, most specific first (see {@link EMERGENCY_KINDS}), each with the
 * words that matched. Empty when there is none.
 */
const RULE_INDEX = new WordPrefixIndex(RULES.map((rule) => [rule.regex.source]));

export function detectEmergencies(text: string): EmergencyMatch[] {
  const message = normalizeMessage(text.slice(0, MAX_CHARS), LEXICON);
  const tokens = expandShorthand(message.tokens);
  const normalized = { words: message.words, tokens };
  const words = tokens.map((token) => token.word);
  const canonical = `${words.join(' ')} `;
  const tokenAt = new Map<number, number>();
  let offset = 0;
  words.forEach((word, index) => {
    tokenAt.set(offset, index);
    offset += word.length + 1;
  });
  const found = new Map<EmergencyKind, string>();
  // Only rules that can start at one of the message's words are tried (language/prefilter.ts).
  const possible = new Set(RULE_INDEX.candidates(words));
  for (const [at, rule] of RULES.entries()) {
    if (found.has(rule.kind) || !possible.has(at)) continue;
    for (const match of canonical.matchAll(rule.regex)) {
      const start = tokenAt.get(match.index) ?? 0;
      const end = start + match[0].trim().split(' ').length;
      if (rule.whole && (start !== 0 || end !== words.length)) continue;
      const context = rule.scope === 'message' ? canonical : sentenceText(words, start, end);
      if (rule.require && !rule.require.test(context)) continue;
      if (rule.forbid?.test(context)) continue;
      if (isNegated(words, start, end) || isHistorical(words, start, end)) continue;
      if (!rule.personal && !rule.always && isInformational(words, start, end)) continue;
      found.set(rule.kind, sourceWords(normalized, start, end));
      break;
    }
  }
  return EMERGENCY_KINDS.filter((kind) => found.has(kind)).map((kind) => ({ kind, phrase: found.get(kind) ?? '' }));
}

/**
 * The most specific emergency in a patient's message, or `undefined` when there is none.
 *
 * Deterministic and pure: no model, no network. Recognises lay, misspelt and abbreviated wording ("chest pian",
 * "cant breath", "od'd"), ignores negated, resolved and historical mentions ("no chest pain today", "a stroke in
 * 2019") and questions asking for information ("what are the signs of a stroke?"). Ambiguity resolves towards
 * an alarm. `phrase` holds only the matched words, so it may go to the audit trail where the message may not.
 */
export function detectEmergency(text: string): EmergencyMatch | undefined {
  return detectEmergencies(text)[0];
}
