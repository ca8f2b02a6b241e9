/**
 * Lay wording for each symptom code, matched against canonical words (text.ts) one clause at a time.
 *
 * Written in our own words from how patients describe symptoms in the NHS "symptoms A to Z" and "when to get
 * help" pages, CDC symptom pages and published telephone-triage question sets. Patterns are plain alternations
 * with bounded gaps (`(\w+ ){0,3}`) so their cost stays linear in the (capped) input.
 * Negation and hedging are decided afterwards by text.ts, so patterns describe the positive statement only;
 * patterns that contain their own negative ("cant breathe", "not peeing") are matched from their first word.
 */
import type { SymptomCode } from './types.js';

const PAIN = '(pain|pains|painful|hurts?|hurting|ache|aches|aching|sore|pressure|tight|tightness|heavy|heaviness|discomfort|squeez\\w*|crushing|burning|stabbing|sharp|killing)';
const GAP = '(\\w+ ){0,3}';
const WIDE = '(\\w+ ){0,6}';
const WOUND = '(incision|wound|cut|stitches|staples|scar|sutures?|bite|scrape|op site|surgical site)';
/** Medicines by name or by common name endings (amoxi-cillin, lisino-pril, sertr-aline). */
const DRUG = '(meds|medicine|medication|pills?|tablets?|antibiotic\\w*|\\w+cillin|\\w+mycin|\\w+floxacin|\\w+cycline|\\w+pril|\\w+sartan|\\w+statin|\\w+olol|\\w+prazole|\\w+oxetine|\\w+aline|\\w+formin|\\w+gliptin|\\w+azepam|bactrim|keflex|augmentin|ibuprofen|naproxen|aspirin|tylenol|shot|vaccine|injection|drug|dose|prescription)';
const WHOSE = '(my |his |her |their |the )?';
const BELLY = '(stomach|belly|tummy|abdominal|abdomen|gut|pelvic|pelvis|groin|side)';

/** code -> alternatives (joined into one regular expression per code). */
const TABLE: Record<SymptomCode, string[]> = {
  chest_pain: [`chest ${GAP}${PAIN}`, `chest ${GAP}(weird|funny|strange|odd|not right)`, 'chest (\\w+ ){0,2}(feels?|feeling) like', `(sitting|standing|weight|pressing) on ${WHOSE}chest`, 'ele(ph|f)ant', `${PAIN} ${GAP}(in|on|across|around) ${WHOSE}chest`, 'elephant on', 'heart (hurts|is hurting|pain)', 'angina'],
  pain_radiating: [`(spreading|spreads|radiating|radiates|going|goes|moving|moves|shooting|travel\\w*) ${GAP}(to|into|down|up|through) ${GAP}(arm|arms|jaw|shoulder|shoulders|back|neck)`,
    `(left arm|jaw) ${GAP}${PAIN}`, `${PAIN} in ${WHOSE}(left arm|jaw)`],
  sweating: ['sweat\\w*', 'clammy', 'diaphore\\w*', 'drenched'],
  palpitations: ['palpitat\\w*', 'heart (is )?(racing|pounding|fluttering|flutter\\w*|skipping|jumping|beating (really |very |so )?(fast|hard))', 'racing heart', 'heart rate (is )?(high|fast|racing)', 'irregular heart\\w*', 'heart (keeps )?skipp\\w*'],
  breathing_difficulty: ['cant (catch ' + WHOSE + ')?breathe?', 'cant breathing', 'cant get (enough )?air', 'struggl\\w* (to|for) (breathe|breath|air)', 'gasping', 'trouble breathing', 'difficulty breathing',
    'hard (to|time) breathe?', 'hard time breathing', 'labou?red breathing', 'breathing (is )?(so |very |really )?(hard|difficult|labou?red)', '(not|isnt|wasnt|arent) breathing', 'stopped breathing',
    'cant (talk|speak|finish) (in )?(full )?sentences', 'cant (talk|speak) (because|without)', 'ribs (are )?(sucking|pulling) in', 'sucking in (under|between|at)', '(chest|skin) (is )?(sucking|caving|pulling) in',
    'nostrils flaring', 'grunting', 'fighting for (air|breath)', 'cant catch (my|his|her) breath', 'air hunger', 'can barely breathe?', 'barely breathing'],
  shortness_of_breath: ['short of breath', 'out of breath', 'breathless\\w*', 'winded', 'breathing (problems?|issues?|worse|heavy|heavier)', 'puffed out', 'trouble catching', 'breath (is )?short', 'short breath'],
  fast_breathing: ['breathing (really |very |so |super )?(fast|quick\\w*|rapid\\w*)', 'rapid breathing', 'fast breathing', 'panting', 'breaths? (per|a) minute'],
  wheeze: ['wheez\\w*', 'whistling'],
  cough: ['cough\\w*', 'hacking', 'croup\\w*', 'phlegm', 'mucus'],
  coughing_blood: [`cough\\w* (up )?${GAP}(blood|bloody)`, 'blood (in|when) ' + WHOSE + '(cough|phlegm|sputum|spit|mucus)', 'hemoptysis', 'bloody (phlegm|sputum|mucus|spit)'],
  blue_lips: [`(lips|face|skin|fingers|tongue|mouth) ${GAP}(blue|grey|gray|bluish|dusky)`, 'turning blue', 'turned blue', 'blue lips', 'cyano\\w*', '(lips|mouth) (are |look |turning )?purple'],
  choking: ['choking', 'choked', 'something stuck in ' + WHOSE + 'throat', 'swallowed (a|something) (\\w+ )?(stuck)'],
  face_droop: [`face ${GAP}(droop\\w*|sagging|crooked|lopsided|uneven|fallen|numb)`, 'droop\\w* (face|mouth|smile|eye|lip)', '(one side|half) of ' + WHOSE + 'face', 'mouth (is )?(droop\\w*|crooked)', 'crooked smile', 'facial droop', 'drooping'],
  one_sided_weakness: [`(one|left|right) (side|arm|leg|hand) ${GAP}(weak\\w*|numb\\w*|limp|heavy|paraly\\w*|dead|not working|wont move|cant move|useless)`,
    `(weak\\w*|numb\\w*|paraly\\w*|cant move|cant lift|cant feel) ${GAP}(one side|left (arm|leg|side|hand)|right (arm|leg|side|hand)|one arm|one leg|his arm|her arm)`,
    '(arm|hand|leg) (is |went |feels |suddenly )?(weak|limp|dead|heavy|useless)', 'cant (lift|raise) (his|her|my|one) (arm|arms)'],
  speech_difficulty: ['slurr\\w*', `speech ${GAP}(slurred|garbled|strange|weird|off|funny|jumbled|wrong)`, 'cant (talk|speak) (properly|right|clearly|straight|normally)',
    'cant get (the|my|his|her) words out', 'cant find (the|my|his|her) words', 'trouble (talking|speaking|finding words)', 'talking (funny|weird|strange|gibberish)', 'words (are |were )?(jumbled|mixed up|coming out wrong)'],
  vision_change: ['(loss of|lost|losing) (\\w+ )?(vision|sight)', 'cant see', 'went blind', 'double vision', 'seeing double', 'blurr\\w* vision', `vision ${GAP}(blurr\\w*|dim|dark|gone|black|weird|spotty|off|changes?|loss|fuzzy)`,
    'seeing (spots|flashes|stars|flashing)', 'flashing lights', 'curtain over'],
  balance_loss: ['(lost|losing|loss of) ' + WHOSE + 'balance', 'cant (walk|stand) (straight|properly|up)', 'stumbling', 'off balance', 'unsteady', 'falling (over )?to one side', 'walking like (he|she|i) (is|was|am) drunk'],
  headache: ['headache\\w*', 'migraine\\w*', `head ${GAP}(hurts|hurting|pain|pounding|throbbing|aching|killing|splitting)`, 'pain in ' + WHOSE + 'head'],
  worst_headache: [`worst ${GAP}(headache|head pain|pain) ${GAP}(life|ever)`, 'worst headache', 'thunderclap',
    `(sudden|suddenly) ${GAP}(severe|bad|terrible|explosive|excruciating|intense|worst) (headache|head pain|pain in ${WHOSE}head)`,
    `headache ${GAP}(out of nowhere|all of a sudden|like (being )?hit|like a thunderclap)`, 'like (being )?hit (on|in) the head', 'head (is )?(going to )?explod\\w*'],
  stiff_neck: ['stiff neck', 'neck (is |feels |really |very )*stiff', 'cant (bend|touch|move|put) (\\w+ ){0,2}(chin|neck)', 'neck (hurts|pain) (when|to) (bend|look down)'],
  light_sensitivity: [`(light|lights|bright light\\w*|sunlight) ${GAP}(hurts?|bother\\w*|painful)`, 'sensitiv\\w* to (the )?light', 'photophob\\w*', 'cant (stand|look at|handle) (the )?(light|lights)', 'hurts? to look at (the )?(light|lights)'],
  confusion: ['confus\\w*', 'disorient\\w*', 'not making (any )?sense', 'doesnt (know|recogni\\w*) (where|who|me|us|anyone)', 'delirious', 'delirium',
    'acting (strange|strangely|weird|funny|odd|drunk|out of it|different)', 'not (himself|herself|acting right|all there|with it|herself)', 'out of it', 'talking nonsense', 'gibberish', 'altered mental', 'cant think straight'],
  drowsy: ['drowsy', 'letharg\\w*', 'listless', 'floppy', 'hard to (wake|rouse)', 'difficult to wake', 'cant (keep (his|her|my) eyes open|stay awake)', 'keeps? (falling|nodding) (asleep|off)',
    'sleeping all (day|the time)', 'barely (awake|responsive|responding)', '(very|really|so|unusually|extremely) sleepy', 'limp', 'not (very )?responsive'],
  unresponsive: ['unresponsive', 'unconscious', '(not|isnt) responding', 'wont respond', 'doesnt respond', 'not waking( up)?', 'wont wake( up)?', 'cant wake (him|her|them)', 'collapsed', '(not|isnt|wasnt|arent) breathing',
    'stopped breathing', 'no pulse', 'wont come (to|round)'],
  fainting: ['fainted', 'fainting (spell|episode)s?', 'syncope', 'lost consciousness', 'loss of consciousness', 'keeled over', 'knocked out'],
  seizure: ['seizur\\w*', 'seizing', 'convuls\\w*', '(having|had) a fit', 'fitting', 'shaking (all over|uncontroll\\w*)', 'jerking (\\w+ ){0,2}(uncontroll\\w*|all over|movements)', 'eyes rolled back', 'grand mal', 'epileptic'],
  dizziness: ['dizz\\w*', 'lightheaded', 'vertigo', 'room (is )?spinning', 'spinning', 'woozy', '(going|about|gonna) to pass out', 'like (i am |im )?(going to )?pass(ing)? out', 'feel(ing|s)? faint', 'about to faint', 'faint\\w*'],
  numbness: ['numb\\w*', 'tingl\\w*'],
  head_injury: [`(hit|banged|bumped|smacked|knocked|bang|bump|hitting|struck|whacked|hurt) ${GAP}(head|forehead|skull)`, 'head (injury|trauma|wound|bump)', 'concuss\\w*', `(fell|fall|fallen) ${GAP}(\\w+ )?(on|onto|hit) ${WHOSE}head`, 'bump on ' + WHOSE + 'head'],
  abdominal_pain: [`${BELLY} ${GAP}(pain|pains|ache|aches|hurts|hurting|cramp\\w*|sore|tender\\w*|discomfort|killing)`, `(pain|ache|cramp\\w*|hurts|hurting) ${GAP}(in|on|near|around|under|below|above|at|to) ${WHOSE}(\\w+ )?(stomach|belly|tummy|abdomen|lower right|lower left|pelvis|right side|left side)`,
    'appendicitis', 'stomach cramps', 'cramping', 'cramps', 'colic\\w*'],
  abdomen_rigid: ['(belly|stomach|abdomen|tummy) (is |feels )?(\\w+ )?(rigid|hard as a (board|rock)|board like|very hard|hard and swollen)', 'rigid (belly|abdomen|stomach)'],
  nausea: ['nause\\w*', 'queasy', 'sick to ' + WHOSE + 'stomach', 'feel(ing|s)? sick', 'want to vomit'],
  vomiting: ['vomit\\w*', 'emesis', 'retching', 'dry heav\\w*', 'cant keep (\\w+ ){0,2}down'],
  vomiting_blood: [`vomit\\w* ${GAP}(blood|bloody)`, 'blood (in|when) (\\w+ ){0,2}vomit\\w*', 'coffee grounds?', 'bloody vomit', 'hematemesis'],
  diarrhoea: ['diarrh\\w*', 'loose (poop|bowel\\w*|motions?)', 'watery (poop|bowel\\w*)', 'the runs', 'runny poop', 'gastro\\w*', 'stomach (bug|flu|virus)', 'food poisoning'],
  blood_in_stool: [`(blood|bloody|red) ${GAP}(in|on|with) (\\w+ ){0,2}(poop|toilet paper|diaper|nappy|bowel)`, `(poop|bowel movement) ${GAP}(bloody|blood|black|tarry|like tar|maroon)`, 'black (\\w+ )?poop', 'tarry', 'rectal bleed\\w*',
    'bleeding from ' + WHOSE + '(bottom|butt|rectum|behind)', 'melena', 'bloody (diarrh\\w*|poop)'],
  constipation: ['constipat\\w*', 'cant (poop|go to the bathroom)', 'havent (pooped|had a bowel movement)', 'hard poop', 'no (poop|bowel movement) (for|in)'],
  cant_keep_fluids: ['cant keep (\\w+ ){0,2}down', 'vomit\\w* (up )?(everything|anything|all (fluids|liquids|drinks))', 'not (keeping|holding) (\\w+ ){0,2}down', 'cant (hold|keep) (anything|water|fluids|liquids)'],
  heartburn: ['heartburn', 'acid reflux', 'reflux', 'indigestion', 'gerd', 'acid (in|coming up)'],
  poor_feeding: ['(not|wont|isnt|stopped|barely|cant|doesnt) (\\w+ )?(feeding|feed|eating|eat|drinking|drink|nursing|breastfeeding|taking (his|her|the) (bottle|formula|milk|feeds?))', 'poor (feeding|appetite)', '(drinking|eating|feeding) (a lot |much )?less', 'less (drinking|feeding)', 'no appetite',
    'off (his|her|their) food', 'refus\\w* (to )?(feed|eat|drink|the bottle|bottle|breast)'],
  painful_urination: [`(burn\\w*|sting\\w*|pain\\w*|hurts?) ${GAP}(when|while|to|after) (\\w+ )?(pee|peeing|urinat\\w*|go to the bathroom)`, `(pee|peeing|urinat\\w*|urine) ${GAP}(burns|hurts|stings|painful)`, 'dysuria', 'uti',
    'bladder infection', 'urine infection', 'urinary tract infection', 'painful (urination|peeing)'],
  urinary_frequency: [`(peeing|urinat\\w*|pee|going to the bathroom|going to the toilet) ${GAP}(a lot|all the time|constantly|frequent\\w*|every (\\d+|few|hour|half)|more often|so much|so often)`, 'frequent (urination|peeing)', 'urgency', 'have to pee (all the time|constantly|so much|every)'],
  blood_in_urine: [`(blood|bloody|red|pink) ${GAP}(in|when) (\\w+ ){0,2}(pee|urine)`, `(pee|urine) ${GAP}(bloody|red|pink|cola|blood)`, 'hematuria', 'peeing blood'],
  flank_pain: [`(flank|kidney|kidneys) ${GAP}${PAIN}`, `${PAIN} ${GAP}(flank|kidney|kidneys)`],
  no_urine: ['(not|hasnt|havent|didnt|barely|wont|cant|stopped) (been )?(peed|peeing|pee|urinated|urinating|making (much )?urine)', 'no (wet )?(diapers?|nappies|nappy) (\\w+ )?(wet|in)', 'no wet (diaper\\w*|nappy|nappies)',
    'no (pee|urine)', `(diaper|diapers|nappy|nappies) ${GAP}(dry|not wet)`, 'dry (diaper|diapers|nappy|nappies)', '(only )?peed (only )?once'],
  vaginal_bleeding: [`(vaginal|vagina) (\\w+ )?bleed\\w*`, `bleeding ${GAP}(down there|from ${WHOSE}vagina|vaginal\\w*)`, 'spotting', 'spotted', '(soaking|soaked|going through) (\\w+ ){0,2}(pads?|a pad)', 'passing (blood )?clots', 'heavy (period|bleeding)', 'miscarr\\w*'],
  testicular_pain: [`(testicle|testicles|testicular|balls?|scrotum|nuts) ${GAP}${PAIN}`, `${PAIN} in (\\w+ ){0,2}(testicle|testicles|balls|scrotum)`, '(testicle|scrotum) (is )?swollen'],
  reduced_fetal_movement: [`(baby|babys|fetal|fetus) ${GAP}(not moving|moving less|less movement|hasnt moved|stopped moving|isnt moving|not kicking|no movement|hasnt kicked|fewer kicks|quiet\\w*|less active|not as active)`,
    '(less|reduced|decreased|fewer|no) (\\w+ ){0,2}(fetal )?(movement|movements|kicks|kicking)', '(not|havent|hasnt|cant|didnt) (felt|feel|feeling) (the )?baby (move|moving|kick\\w*)'],
  waters_broken: ['(water|waters) (\\w+ )?(broke|broken|breaking|burst)', `leaking ${GAP}(fluid|water)`, 'gush of (fluid|water)'],
  contractions: ['contraction\\w*', 'labou?r pains?', 'in labou?r', 'going into labou?r'],
  loss_bladder_bowel_control: [`(cant|couldnt|lost|losing|loss of) (\\w+ ){0,2}control ${GAP}(bladder|bowels?|pee|poop)`, '(wet|peed|pooped|soiled) (myself|himself|herself)', 'incontinen\\w*', 'cant (pee|urinate) at all'],
  rash: ['rash\\w*', 'spots', 'bumps', 'blotch\\w*', 'red (patches|marks|dots|spots|skin)', 'broke out', 'breaking out', 'breakout', 'eczema', 'chicken ?pox', 'measles', 'cold sores?', 'pimples?', 'acne'],
  rash_non_blanching: [`(rash|spots|dots|marks|blotches) ${GAP}(dont|doesnt|didnt|wont|not|isnt|arent) (\\w+ )?(fade|blanch\\w*|go white|turn white)`,
    `(rash|spots|dots|marks) ${GAP}(dont|doesnt|didnt|wont|not) (\\w+ )?(disappear|go away) ${GAP}(press\\w*|glass|push\\w*)`, 'non ?blanching', 'glass test', 'petechia\\w*', 'purpura',
    'purple (spots|dots|rash|blotches|marks)', 'tiny (red|purple) (spots|dots)', '(pinpoint|pin prick|pinprick) (\\w+ )?(spots|dots|rash)', 'bruis\\w* (rash|all over|for no reason|without)'],
  hives: ['hives', 'welts', 'urticaria', 'itchy (bumps|welts|raised)', 'raised (itchy )?(red )?(bumps|welts)'],
  itching: ['itch\\w*'],
  swelling_face_lips_tongue: [`(lip|lips|tongue|face|mouth|eyelids?) ${GAP}(swell\\w*|swollen|puff\\w*|huge|tingl\\w*)`, `(swell\\w*|swollen|puffy) ${GAP}(lip|lips|tongue|face|mouth)`, 'angioedema'],
  throat_closing: [`throat ${GAP}(closing|tight\\w*|swelling shut|swollen shut|closing up)`, 'tight throat', 'throat is (closing|swelling)'],
  mottled_skin: ['mottl\\w*', 'blotchy (\\w+ )?(skin|legs|arms)', `(skin|legs|arms|hands|feet) ${GAP}(blotchy|mottled|marbled|ashen)`, 'ashen', 'looks (grey|gray|ashen)'],
  pale_skin: ['pale', 'white as a sheet', 'pallor', 'lost (his|her|my) colou?r'],
  wound_redness: [`(red|redness|reddish|warm|hot) ${GAP}(\\w+ )?(around|near|at|from|spread\\w*) ${GAP}(incision|wound|cut|stitches|staples|scar|bite|scrape)`,
    `${WOUND} ${WIDE}(red|redness|warm|hot|inflamed|angry|swollen|spreading|infected)`, 'red (streak|streaks|line|lines)', '(redness|red) (\\w+ ){0,2}(spreading|getting bigger|growing|expanding)', 'cellulitis', 'infected'],
  wound_pus: ['pus', 'puss', 'oozing', 'ooze', `${WOUND} ${WIDE}(discharge|leaking|weeping|draining|smells|smelly|stinks|yellow|green)`, 'discharge from ' + WHOSE + '(incision|wound|cut)', 'smells bad'],
  wound_opening: [`(incision|wound|cut|stitches|staples|scar|sutures?) ${GAP}(open\\w*|came (apart|undone|out|open)|split\\w*|gaping|pulled apart|burst|separat\\w*|fell out|popped)`, 'dehisc\\w*', 'can see (inside|fat|tissue)'],
  wound: ['incision', 'wound', 'laceration', 'scrape', 'graze', 'stitches', 'staples', 'sutures', 'gash', 'scratch', 'cut (my|his|her|myself|himself|herself)', 'sliced', 'nicked', 'a cut', 'the cut', '(small|little|tiny|minor|paper|deep|bad) cut', 'cut (on|to|in) (my|his|her|the)', 'puncture'],
  bleeding: ['bleed\\w*', 'bled', `blood ${GAP}(coming|pouring|dripping|everywhere|all over)`, 'bloody'],
  bleeding_severe: [`(bleed\\w*|blood) ${GAP}(wont|will not|doesnt|isnt|not|cant|wouldnt) (\\w+ )?(stop\\w*|slow\\w*)`, `bleed\\w* (\\w+ ){0,2}(heavily|a lot|badly|profusely|everywhere|like crazy|nonstop|through|so much)`,
    '(spurting|gushing|pouring|squirting|pulsing) (\\w+ ){0,2}blood', 'blood (is )?(spurting|gushing|pouring|squirting)', `(lots|a lot|so much|tons|pool|puddle) (of )?(\\w+ )?blood`, `blood ${GAP}(everywhere|all over|soaking|soaked through)`,
    `(soaked|soaking) (through )?${GAP}(bandage|bandages|towel|towels|gauze|pads?)`, 'cant stop (the )?bleed\\w*', 'wont stop bleed\\w*', 'ha?emorrhag\\w*'],
  burn: ['burned (my|his|her|himself|herself|myself)', 'burnt (my|his|her|himself|herself|myself)', 'scald\\w*', 'burns? (on|to|from) (my|his|her|the)', 'touched the (stove|oven|iron|pan)', 'sunburn\\w*'],
  bite: ['(dog|cat|animal|human|snake|spider|tick|bat|raccoon|rat|monkey|horse) (\\w+ )?(bit|bite|bites|bitten)', 'bit (by|me|him|her)', 'bitten'],
  sting: ['(bee|wasp|hornet|jellyfish|insect|scorpion) (\\w+ )?sting\\w*', 'stung', 'sting (from|by)'],
  sore_throat: ['sore throat', `throat ${GAP}(hurts?|hurting|sore|pain|killing|scratchy|raw|burning|swollen)`, '(pain|hurts?) (when|to) swallow\\w*', 'strep', 'tonsil\\w*', 'pharyngitis', 'scratchy throat'],
  ear_pain: [`ear ${GAP}(pain|ache|hurts?|hurting|infection|sore)`, `ears ${GAP}(hurt|hurting|aching|pain|draining|leaking)`, '(pulling|tugging) (at|on) (his|her|their) ears?', 'otitis', 'ear infection'],
  runny_nose: ['runny nose', 'stuffy', 'stuffed up', 'congest\\w*', 'sneez\\w*', 'blocked nose', 'nose (\\w+ )?(running|runny|blocked|stuffy)', '(a|the|bad|head|chest|common|mild|little|slight|nasty|minor|heavy|stinking) cold(?! (hands|feet|sweats?|compress|pack|water|weather|sores?))', 'cold symptoms',
    '(caught|got|have) (a |the )?cold', 'snot\\w*', 'sniffl\\w*', 'the flu', 'flu', 'covid', 'virus'],
  sinus_pain: ['sinus\\w*', `(face|cheeks|cheekbones) ${GAP}(pressure|pain|hurts|hurting|aches?|aching)`, `(pain|hurts|pressure) ${GAP}(around|in|behind) ${WHOSE}(cheeks|cheekbones)`, `pressure ${GAP}(behind|in) ${WHOSE}(eyes|face|cheeks|forehead)`],
  eye_pain: [`eye ${GAP}(pain|painful|hurts?|hurting|sore|ache)`, `eyes ${GAP}(hurt|hurting|sore|pain|painful)`, 'pain (in|behind) ' + WHOSE + 'eyes?', 'something in ' + WHOSE + 'eye', 'chemical (\\w+ )?in (\\w+ )?eyes?', 'poked (\\w+ ){0,2}eye'],
  red_eye: ['(red|pink|bloodshot|crusty|goopy|sticky) (\\w+ )?eyes?', `eyes? ${GAP}(red|pink|bloodshot|crusty|goopy|gooey|sticky|gunk)`, 'pink eye', 'conjunctivitis'],
  drooling: ['drool\\w*', 'cant swallow (\\w+ ){0,2}(saliva|spit)', 'spitting (out )?saliva'],
  trouble_swallowing: ['(trouble|difficulty|hard|cant|unable) (to )?swallow\\w*'],
  toothache: ['tooth\\w*', `teeth (\\w+ )?${PAIN}`, 'dental', `gum ${GAP}(swollen|pain|abscess)`, 'abscess\\w*'],
  nosebleed: ['nosebleed\\w*', `nose ${GAP}bleed\\w*`, `bleed\\w* ${GAP}(from )?${WHOSE}nose`, 'bloody nose', 'epistaxis'],
  back_pain: [`(my|his|her|the|lower|upper|mid|middle) back ${GAP}${PAIN}`, 'back (pain|ache|aches|spasm\\w*)', `${PAIN} (in|on) ${WHOSE}(lower |upper |middle )?back`, 'sciatica', 'pulled (my |his |her )?back', 'threw (my|his|her) back out', 'lower back'],
  neck_pain: [`neck ${GAP}(pain|hurts?|hurting|ache|sore)`, `(pain|hurts) in ${WHOSE}neck`, 'crick in', 'whiplash'],
  leg_swelling: [`(leg|legs|calf|calves|ankle|ankles|foot|feet|thigh) ${GAP}(swell\\w*|swollen|puffy|bigger|enlarged)`, `(swell\\w*|swollen|puffy) ${GAP}(leg|legs|calf|calves|ankles?|foot|feet|thigh)`, 'edema', 'oedema'],
  calf_pain: [`(calf|calves) ${GAP}(pain|hurts?|hurting|tender|sore|cramp\\w*|ache|tight|warm|red)`, `(pain|hurts|tender\\w*|cramp\\w*|ache) ${GAP}(in|on) ${WHOSE}(calf|calves|back of (my|his|her|the) leg)`],
  joint_pain: [`(knee|knees|hip|hips|shoulder|shoulders|elbow|elbows|wrist|wrists|joint|joints|finger|fingers|toe|toes|ankle|ankles) ${GAP}(pain|hurts?|hurting|ache|aching|sore|stiff|swollen)`,
    `(pain|ache) in ${WHOSE}(\\w+ )?(knee|hip|shoulder|elbow|wrist|joint|ankle|finger|toe)s?`, 'arthritis', 'gout'],
  sprain: ['sprain\\w*', `twist\\w* ${GAP}(ankle|knee|wrist|foot)`, 'rolled (my|his|her) (ankle|foot)', 'strain\\w*', 'pulled (a |my |his |her )?(muscle|hamstring|groin|calf|quad|shoulder|neck)', 'jammed (my|his|her) finger', 'sore muscles', `muscles? ${GAP}(sore|ache|aching|aches|stiff)`, 'muscle (pain|ache|soreness)'],
  injury: [`(fell|fall|fallen|falling|tripped|slipped) ${GAP}(down|off|over|on|onto|from|and|at|in|while)`, 'injur\\w*', 'car (accident|crash|wreck)', 'accident', 'hit by (a )?(car|ball|bat)', 'got hit', 'punched', 'kicked', 'crushed', 'landed on', 'smashed', '(had|took) a (fall|tumble)', 'fell'],
  deformity: ['(looks|is|looking) (\\w+ )?(bent|crooked|deformed|out of shape)', '(bent|crooked|deformed) (\\w+ )?(arm|leg|wrist|ankle|finger|bone)', '(wrong|odd|weird|funny) angle', 'out of place', `bone ${GAP}(sticking out|poking out|through the skin|showing)`, 'dislocat\\w*'],
  cant_bear_weight: ['cant (put (any )?weight|bear weight|walk on|stand on|move (it|my|his|her)|use (it|my|his|her))', `(think|thinks|maybe|might be|probably|could be) ${GAP}broken`,
    'broken (arm|leg|bone|wrist|ankle|hip|finger|toe|nose|rib|foot|hand|collarbone)', 'fractur\\w*', 'broke (my|his|her) (arm|leg|wrist|ankle|hip|finger|toe|nose|rib|foot|hand|collarbone)'],
  saddle_numbness: [`numb\\w* ${GAP}(groin|genitals|bottom|butt|buttocks|between ${WHOSE}legs|inner thighs|saddle)`, `(groin|saddle|genital|bottom|buttock\\w*) ${GAP}numb\\w*`],
  fever: ['(?<!hay )fever', 'febrile', 'temperature', 'burning up', 'hot to (the )?touch', 'running (a )?(fever|temperature|temp)', 'high temp', 'spiking', 'feels (really |very |so )?hot'],
  chills: ['chill\\w*', 'shiver\\w*', 'rigors?', 'shakes', 'teeth chattering'],
  fatigue: ['tired\\w*', 'fatigue\\w*', 'exhaust\\w*', 'no energy', 'worn out', 'run down', 'wiped out'],
  weakness: ['weak\\w*', 'no strength', '(legs|arms|body) (\\w+ )?(gave out|giving out|wobbly)'],
  dehydration_signs: ['dehydrat\\w*', 'sunken (eyes|soft spot|fontanelle)', `(eyes|soft spot|fontanelle) ${GAP}sunken`, 'no tears', '(crying|cries) (\\w+ ){0,2}(no|without) tears', 'dry (mouth|lips|tongue)', '(mouth|lips|tongue) (is |are |feels |looks )?(\\w+ )?dry', 'lips (\\w+ )?(dry|cracked)', 'dark (pee|urine)'],
  thirst: ['thirst\\w*', 'drinking (\\w+ )?(a lot|constantly|all the time)'],
  weight_loss: ['(lost|losing|lose) (\\w+ ){0,2}(weight|pounds|lbs|kg)', 'weight loss'],
  night_sweats: ['night sweats?', 'sweat\\w* (\\w+ ){0,2}(at night|through the sheets)', 'soaking (the )?(sheets|bed)'],
  pain: ['pain\\w*', 'hurts?', 'hurting', 'ache\\w*', 'aching', 'sore', 'agony'],
  low_mood: ['depress\\w*', '(feel|feeling|been|so|very) (\\w+ )?(down|low|sad|hopeless|empty|worthless|miserable)', 'hopeless\\w*', 'no motivation', 'cant stop crying', 'crying all the time', 'lost interest', 'no interest', `mood ${GAP}(low|down|bad)`, 'baby blues', 'lonely', 'sad'],
  anxiety: ['anxi\\w*', 'panic\\w*', 'worried sick', 'nervous', 'stress\\w*', 'on edge', 'racing thoughts'],
  suicidal_thoughts: ['suicid\\w*', 'kill (my ?self|myself)', 'end (my life|it all)', `(want|wish) ${GAP}(to )?(die|be dead|not (be here|wake up|exist))`, 'better off (dead|without me)', 'no reason to live', 'dont want to (live|be alive|be here)', 'take my (own )?life', 'not worth living'],
  self_harm: ['(cut|cutting|hurt|hurting|harm|harming|burn|burning) (myself|my self|herself|himself)', 'self harm\\w*'],
  hallucinations: ['hallucinat\\w*', 'hearing voices', 'hear voices', 'seeing things', 'voices (telling|in)', 'paranoi\\w*', 'psychos\\w*'],
  insomnia: ['insomnia', 'cant sleep', 'trouble sleeping', 'not sleeping', 'havent slept', 'no sleep', 'up all night'],
  side_effect: ['side effects?', `reaction to ${GAP}(meds|medicine|medication|pills?|tablets?|antibiotic\\w*|drug|shot|vaccine|injection)`, `since (i |he |she )?(started|starting|began|switched|changed) ${GAP}(meds|medicine|medication|pills?|antibiotic\\w*|drug|dose|tablets?)`,
    `(new|started|starting|since|after taking|after starting|on) ${GAP}${DRUG}`, `${DRUG} ${GAP}(making|made|gives|giving|causing|caused)`],
  overdose: ['overdos\\w*', 'took (\\w+ ){0,2}too (many|much)', `(took|swallowed|ate|drank) ${GAP}(whole|entire|all (of )?(the|my|his|her)) (\\w+ )?(bottle|pack|box|pills|tablets)`, 'double dose', `took (my|his|her) ${WIDE}twice`,
    `(got into|ate|swallowed|drank|drunk) ${GAP}(pills|medicine|meds|bleach|cleaner|detergent|pods?|battery|batteries|chemicals?|poison|tylenol|vitamins|magnet\\w*)`, 'poison\\w*'],
  high_blood_sugar: ['(high|higher) (blood )?sugar\\w*', `sugar\\w* ${GAP}(high|over|above|through the roof)`, 'hyperglyc\\w*', `glucose ${GAP}high`],
  low_blood_sugar: ['(low|lows) (blood )?sugar\\w*', `sugar\\w* ${GAP}(low|dropping|crashed|crashing|tanked)`, 'hypo', 'hypoglyc\\w*', `glucose ${GAP}low`, 'going low'],
  hypo_not_responding: [`(still|keeps?|wont|not|isnt|doesnt|didnt) ${GAP}(low|come up|coming up|go up|going up|rise|rising|budge|help\\w*|work\\w*)`, `(after|despite|even with|even after) ${GAP}(juice|sugar|glucose|tabs|tablets|candy|soda|snack) ${GAP}(\\w+ )?(still|not|isnt|wont|same)`,
    // "had juice but still 55": treated once and still low (ADA 15-15 rule not working).
    `(juice|sugar|glucose|tabs|tablets|candy|soda|snack) ${GAP}(but|and|yet) (its |it is |im |i am |sugar is )?still (\\d+|low|under|below)`],
  fruity_breath: ['fruity (\\w+ )?breath', `breath ${GAP}(smells|smell) ${GAP}(fruity|sweet|nail polish|acetone)`, 'acetone'],
  ketones: ['ketone\\w*', 'ketoacidosis', 'dka'],
  allergic_reaction: ['allerg\\w* (reaction|attack)', `reaction to ${GAP}(peanut\\w*|nuts|shellfish|food|bee|sting|penicillin|antibiotic\\w*|latex|eggs)`, 'anaphyla\\w*',
    `(ate|eaten|eating|had|touched|exposed to) ${GAP}(peanut\\w*|nuts|shellfish|shrimp|crab|lobster|sesame)`, 'epipen', 'epi pen', 'allergic'],
};

/** Body sites implied by a code, for explanations and the findings shape. */
export const DEFAULT_SITE: Partial<Record<SymptomCode, string>> = {
  chest_pain: 'chest', headache: 'head', worst_headache: 'head', abdominal_pain: 'abdomen', back_pain: 'back', neck_pain: 'neck',
  sore_throat: 'throat', ear_pain: 'ear', eye_pain: 'eye', red_eye: 'eye', calf_pain: 'calf', leg_swelling: 'leg', flank_pain: 'flank',
  testicular_pain: 'testicle', toothache: 'mouth', nosebleed: 'nose', stiff_neck: 'neck', face_droop: 'face',
};

export interface SymptomPattern {
  code: SymptomCode;
  regex: RegExp;
}

/** One global regular expression per code, in table order. */
export const SYMPTOM_PATTERNS: readonly SymptomPattern[] = (Object.keys(TABLE) as SymptomCode[]).map((code) => ({
  code,
  regex: new RegExp(` (?:${TABLE[code].join('|')})(?= )`, 'g'),
}));
