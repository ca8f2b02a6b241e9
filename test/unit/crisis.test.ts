import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assessCrisis, detectCrisis, type CrisisKind } from '../../src/domain/safety/crisis.js';
import { CRISIS_FILE, loadCrisisFile } from '../../src/domain/safety/crisis-lexicon.js';

/** Active risk, by the kind it must be read as: answered with the crisis reply at once. */
const ACTIVE: Record<Exclude<CrisisKind, 'passive_wish'>, string[]> = {
  intent: [
    "I'm going to kill myself", 'ive decided to end my life', 'im gonna end it all', 'i will take my own life',
    'made up my mind to kill myself', "i'm about to overdose", 'im going to jump off the bridge by my house',
    'goodbye forever everyone', "by the time you read this i'll be gone", "I'm going to hurt myself",
    'planning to kill myself', "i'm ready to end my life", "i want to die and i've decided", 'ima kill myself',
    "im finally going to do it, i dont want to live anymore", "My friend texted me she's going to kill herself",
    "I'm going to drive my car off a cliff", "i'm gonna do it tonight, i've had enough of this life",
    "I'm so sorry for everything. Please tell my kids I love them. Goodbye.", "my brother texted me that he's going to kill himself",
  ],
  plan: [
    "I'm going to kill myself tonight", 'i wrote goodbye letters to my kids', "I've been googling painless ways to die",
    'i want to kill myself when everyone is asleep', 'i left a suicide note on the table', 'i want to end my life, i have a plan',
    "I don't want to be here anymore and I've been giving away my things", 'whats the easiest way to kill myself',
    "i want to die. i've picked a date", 'gonna end it this weekend', "i'm thinking about killing myself after the kids go to bed",
    'im going to take all my sleeping pills tonight', 'whats the best way to overdose', "I've written my will and I want to die",
    'Ive got a plan to end things on Sunday', "I'm going to OD tonight",
  ],
  means: [
    'I have a noose ready', 'ive been stockpiling my sleeping pills', 'the gun is loaded and i want to die',
    'i want to kill myself and i have the pills right here', 'the rope is around my neck',
    'sitting in the car with the engine running in the garage', "I've got a razor blade against my wrist",
    'im standing on the edge of the bridge', 'i bought a gun to end it', 'pills are all lined up in front of me, i cant do this anymore',
    "i'm sitting on the train tracks", 'ive saved up a month of pills, i want to die', "I just want to die. I have my husband's gun",
    'i have been saving my oxy for weeks', "i have a rope and i know where i'm going to do it", 'my gun is on the table next to me and i want to use it on myself',
    'my roommate has pills saved up and says he wants to die', 'i dont think i can keep doing this. i have all my pills here and im going to take them',
  ],
  lethal_amount: [
    'how many sleeping pills would it take to die', 'what is a lethal dose of insulin', 'how much tylenol is lethal',
    'is 40 advil enough to kill me', 'how many oxy would kill a person', 'whats the overdose amount for my blood pressure pills',
    'how much of my heart medicine would be fatal', 'can you die from taking 30 melatonin', 'how many pills until i dont wake up',
    'what amount of morphine is deadly', 'would 20 of my seroquel kill me', 'fatal dose of paracetamol?',
    'how much insulin would it take to never wake up', 'can i overdose on my metoprolol? how many would it take',
    'how many advil would it take to kill someone my size', 'is a full bottle of tylenol enough to die', "what's the lethal amount of amitriptyline",
    'how many mg of oxycodone is lethal', 'can i die if i take all of my blood pressure pills', 'what would happen if i took all my insulin at once',
    'how many of these would I need to take to go to sleep forever',
  ],
  self_harm_in_progress: [
    'I just took the whole packet', 'i took all the pills i had left', "I'm cutting right now", 'i cut too deep and it wont stop bleeding',
    "i've been cutting myself again", 'i just swallowed a whole bottle of tylenol', 'i took all my sleeping pills',
    'im burning myself with a lighter', 'i overdosed on purpose', 'my daughter is cutting herself right now',
    'i tried to kill myself last night', "there's blood everywhere, i cut my wrists", 'took all my antidepressants to end it',
    'I swallowed everything in my medicine cabinet', 'I hurt myself on purpose', 'relapsed and cut last night', 'my teenager is self harming',
    'I took like 40 of my sleeping pills', 'just swallowed all my oxys', "i'm in the bathroom cutting", 'I took an overdose an hour ago',
    'I burned my arms with cigarettes again', 'i swallowed a bunch of pills', 'my sister tried to kill herself last night and is in the ICU', 'Just took 20 ambien',
  ],
  ideation: [
    'I want to kill myself', 'kms', 'i wanna kms', 'i keep thinking about ending it all', "i've been feeling suicidal", 'I want to hurt myself',
    'i have the urge to cut', 'sometimes I think about jumping in front of a train', 'my son said he wants to kill himself',
    "I can't stop thinking about suicide", 'i feel like unaliving myself', 'Im suicidle', 'i want to kil myself', 'i want to kill my self',
    'i might as well end my life', "I'm scared I'll hurt myself", 'feeling very suicidal today', 'thinking of hanging myself',
    'my husband has been talking about shooting himself', 'I want to step in front of a bus', 'my mind keeps telling me to kill myself',
    "I'm having suicidal thoughts again", 'I keep thinking that if I crash my car it would all stop', 'my kid says they want to kill themselves',
    'my son told me they feel suicidal',
  ],
};

/** A passive wish to die, without intent or plan: the screener. */
const PASSIVE = [
  'i wish i was dead', "I wish I wouldn't wake up tomorrow", 'everyone would be better off without me', "i don't want to be here anymore",
  "what's the point of living", 'im so tired of living', 'i hope i dont wake up', 'I just want to go to sleep and never wake up',
  "i don't want to live anymore", 'no reason to live', 'I feel like such a burden to my family', 'i want to die', 'life isnt worth living',
  'nobody would even miss me', 'i wish i could just disappear forever', "I'd rather be dead", "sometimes i wish i'd never been born",
  "I'm done with life", 'there is no point in going on', 'God please just take me', 'i hope i dont survive the operation',
  'i cant go on like this', 'whats the point anymore', 'i wish i could go to sleep and never wake up',
  'honestly dont know if i want to be alive anymore', "I've been feeling really low, like there's no way out", 'i cant take this pain anymore i just want it all to be over',
  'Sometimes I wonder if it would be better if I was dead', 'i hate being alive', 'being alive is exhausting and i wish it would end',
  "I don't care if I live or die", "I wouldn't mind if I didn't wake up tomorrow", 'honestly i think everyone would be happier if i just disappeared',
  'i keep thinking it would be easier to just not be here', 'i dont wanna live no more', "I don't feel like living anymore", "I wish I'd die in my sleep", 'my family would be better off if I was gone', 'i dont see any reason to keep living',
];

/** Must give no crisis, by reason. */
const NOT_CRISIS: Record<string, string[]> = {
  figures: [
    "I'm dying to see the new baby", 'this heat is killing me', 'my feet are killing me after that walk', 'i could kill for a cheeseburger',
    'we died laughing at the movie', 'my phone died so i missed your call', 'i overdosed on chocolate lol', 'shoot me a text when the results are in',
    'just killing time in the waiting room', "I'm dead tired today", 'the nurse was drop dead gorgeous', 'her lasagna is to die for',
    "i'm bored to death in this hospital bed", "you're killing me with these reminders haha", "my boss is going to kill me if i'm late",
    'I killed it at physio today', 'i want to dye my hair purple', 'i nearly died of embarrassment', 'I was scared to death before the surgery',
    'my battery is dead', 'the suspense is killing me, any news on my biopsy?', "i'm killing myself at the gym to lose weight",
    'dead serious, the pharmacy closed early', 'overdosed on netflix this weekend', 'I keep shooting myself in the foot with my diet',
    'my plants all died while i was in hospital', 'dying over here with this humidity', "I'd kill for some sleep", 'ugh kill me now, monday again',
    'I want to die laughing at 90 surrounded by grandkids', 'the cake was to die for', 'this traffic is going to be the death of me',
    'I cut myself a slice of cake', "i'm dying for a coffee", 'my husband would kill me if i missed this appointment',
    "I'm so full I could die", "I'll die if I don't get coffee soon", "I'm killing myself over this crossword", 'I could just kill myself for forgetting my pills again',
    "i'm dead on my feet after my shift", 'this app is killing my battery', "I'd die for my kids", "I'd rather die than eat hospital food again",
  ],
  negated: [
    "I'm not suicidal", 'never thought of killing myself', 'no thoughts of harming myself', 'i would never hurt myself',
    "i don't want to die, i want to get better", "I'm not going to kill myself, don't worry", 'suicidal thoughts? no',
    'i have no intention of ending my life', 'i dont have any thoughts of suicide', "I haven't cut myself in two years", 'I no longer feel suicidal',
    'used to self harm as a teenager, not anymore', 'i stopped cutting', 'I have never self harmed', "I've never tried to kill myself",
    'no suicidal thoughts, just tired', "i'm not thinking of ending my life", 'not suicidal, just very sad', "I don't want to die",
  ],
  past: [
    'I tried to kill myself when I was 19', 'my dad killed himself years ago', 'I used to cut myself in high school', 'when I was 15 I attempted suicide',
    'my friend died by suicide last year', "I haven't had suicidal thoughts since I started therapy", "My doctor asked if I have thoughts of suicide, I said no because I don't",
  ],
  education: [
    'what are the warning signs of suicide in teens', 'how can I help someone who is suicidal', 'why do people self harm',
    'is suicide more common after a cancer diagnosis', 'what is the suicide hotline number', 'can antidepressants cause suicidal thoughts in young people',
    'how do I talk to my kids about suicide', "I'm reading an article about suicide prevention", 'What should I do if a friend tells me they want to die',
    'What is self-harm?', 'How do I support a friend who self-harms?', 'why do they kill themselves', 'what does suicidal ideation mean',
    "I'm a hospice nurse and many of my patients are ready to die",
  ],
  everyday: [
    'took all my pills this morning', 'I took my meds', 'I will take all my pills today', 'yes', 'I cut my finger opening a can', 'i cut myself shaving this morning',
    'burned myself on the oven', 'can I take all my pills at once', 'how much tylenol can I take in a day', 'how many pills do I take',
    "I don't want to be here anymore, when can I go home", "I hope I don't wake up during surgery", 'my pills are laid out for the week',
    "i'm not going to lie, today was rough", 'is it safe to take 2 tylenol with my oxy', 'what is the max dose of ibuprofen per day',
    "I'm scared of dying during surgery", 'the dog ate a whole box of chocolates', 'I took the whole course of antibiotics', 'my mom wants to die at home',
    'I took all the pills I had left from my prescription, need a refill', 'I cut myself on the can lid, is it infected?', 'I accidentally took my evening pills twice',
    "What's a safe dose of melatonin", 'How many ibuprofen can I take at once for a toothache', 'the doctor said this medicine can be fatal in overdose, so keep it away from kids?',
    'I want this pain to end', "I'm going to stop my meds", '', '   ', '😭😭😭',
  ],
};

const activeCases = Object.entries(ACTIVE).flatMap(([kind, texts]) => texts.map((text) => [text, kind] as const));
const notCrisisCases = Object.entries(NOT_CRISIS).flatMap(([reason, texts]) => texts.map((text) => [text, reason] as const));

describe('detectCrisis', () => {
  it('has at least 10 phrasings per active kind, 10 passive, 25 figures of speech and negations', () => {
    for (const texts of Object.values(ACTIVE)) expect(texts.length).toBeGreaterThanOrEqual(10);
    expect(PASSIVE.length).toBeGreaterThanOrEqual(10);
    expect(NOT_CRISIS.figures!.length).toBeGreaterThanOrEqual(25);
    expect(NOT_CRISIS.negated!.length).toBeGreaterThanOrEqual(10);
  });

  it.each(activeCases)('%j is active %s', (text, kind) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'active', kind });
  });

  it.each(PASSIVE)('%j is a passive wish (the screener)', (text) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'passive', kind: 'passive_wish' });
  });

  it.each(notCrisisCases)('%j is not a crisis (%s)', (text) => {
    expect(detectCrisis(text)).toBeUndefined();
  });

  it("reads someone else's wish to die as active: the screener would ask the wrong person", () => {
    expect(detectCrisis('my mom keeps saying she wants to die')).toMatchObject({ level: 'active', kind: 'passive_wish' });
  });

  it('finds the crisis after a denied or figurative clause', () => {
    expect(detectCrisis("I'm not suicidal, I just want to die")).toMatchObject({ level: 'passive', kind: 'passive_wish' });
    expect(detectCrisis('this heat is killing me and honestly i want to kill myself')).toMatchObject({ level: 'active', kind: 'ideation' });
  });

  it('reports only the words that matched, never the rest of the message', () => {
    expect(detectCrisis('Hi this is Ana Ruiz, DOB 3/4/1961. how many of my sleeping pills would it take to die')).toEqual({
      level: 'active', kind: 'lethal_amount', evidence: 'how many of my sleeping pills would it take to die',
    });
    expect(detectCrisis('i want to kill myself tonight')?.evidence).toBe('kill myself ... tonight');
  });

  it('says when it read suicide wording and set it aside, so the emergency rules do not overrule it', () => {
    expect(assessCrisis('suicidal thoughts? no')).toEqual({ dismissed: true });
    expect(assessCrisis('how can I help someone who is suicidal')).toEqual({ dismissed: true });
    expect(assessCrisis('I keep shooting myself in the foot')).toEqual({ dismissed: true });
    expect(assessCrisis('my appointment is at 3')).toEqual({ dismissed: false });
  });

  it('stays fast on a very long message', () => {
    const long = 'my appointment is tomorrow and I have a question about parking. '.repeat(200);
    detectCrisis('warm up');
    const started = performance.now();
    expect(detectCrisis(long)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });
});

/**
 * Concepts from the published lists, each phrased several ways in our own words (typos, no punctuation, lower
 * case on purpose): C-SSRS preparatory acts and behaviour, lethal-amount questions, self-harm told by act and
 * result, ASQ passive wishes said indirectly, and what must stay out.
 */
const PREPARATION: Record<string, string[]> = {
  // C-SSRS: acquiring or collecting means, one's own or someone else's.
  acquiring_means: [
    'bought 4 boxes of paracetamol from different shops today', 'ive been collecting my mums tablets in a drawer for weeks',
    'counted out all my pills on the bed', 'lining up my nans sleeping tablets', 'i have my tablets all lined up on the table',
    'ive been stockpilling my dads heart pills', 'got my dads gun out of the safe and loaded it', 'bought rope today',
    'got rope from the shed its in my room', 'the razor blade is ready in the bathroom', 'got a blade ready',
    "ive got 6 boxes of co-codamol hidden in my wardrobe", 'been taking my mums pills a few at a time and saving them',
    'all my pills are on the table in front of me', 'bought 5 boxs of paracetamol',
  ],
  // C-SSRS behaviour: at or going to a lethal place.
  lethal_place: [
    'im on the wrong side of the railing', 'standing on the bridge now looking down at the water', 'im up on the roof of my building and its so high',
    'im on the top floor of the car park right at the edge', 'sat by the railway line waiting for the next train', 'im on the train tracks',
    'sitting in my car in the garage with the engine running and the door shut', 'im at the cliff edge', 'on a ledge outside my window',
    'climbed over the barrier on the bridge', 'sittin in the car in the garage with the engine on', 'the car is running in the garage and ive shut the door',
  ],
  // C-SSRS preparatory acts: affairs in order, goodbyes, a date, no future appointments.
  arranging_affairs: [
    'ive given my dog to my sister and paid off all my debts', 'gave away all my stuff this week', 'wrote notes for my kids and my wife',
    'i wrote my will last night and said goodbye to my mum', 'i wont be here for the appointment on thursday', 'ive set a date',
    'im giving my cats away to people who can look after them better', 'found a new home for my cat and my dog', 'ive sorted my will and my life insurance',
    'left letters for my children', 'i wont need the appointment next week', 'givin away my stuff',
  ],
  // C-SSRS method with time, and resolve said without the method.
  method_time_resolve: [
    'im going to take all my tablets once the kids are in bed', 'gonna hang myself when i get home', 'after my appointment im going to jump off the multi storey',
    'tomorrow ill hang myself', 'ive made up my mind', "Don't try to stop me.", 'please dont try and stop me', 'i mean it this time', 'im done for good',
    "I'm not going to be around much longer.", 'i wont be around for much longer', 'tonight is the night, the pills are ready', 'i have decided. tonight',
  ],
};

/** Lethal-amount questions in every form. */
const LETHAL_AMOUNT = [
  'would 30 of my sertraline do it', 'would 15 of my nans heart tablets do it', 'how many of my propranolol would stop my breathing',
  'how many of my amitriptyline would kill me', 'how many of my co codamol would be enough', 'if i swallowed the rest of my lithium would that kill me',
  'if i took the rest of my insulin would it kill me', 'what amount is fatal', 'how many of my blood pressure pills would stop my heart',
  'would the whole box of my diazepam be enough', 'how many of these would i need to take to stop my heart', 'wld 20 of my sertraline do it',
  'how many of my propranolol wud stop my breathing', 'if i take the rest of my tramadol will i die', 'would a whole packet of my dads warfarin do it',
];

/** Self-harm in progress, told by act and result, without the word "harm". */
const HARM_BY_ACT = [
  'burned my arm with a lighter just now', 'im burning my leg with a cigarette right now', 'pressed the iron on my arm till it bubbled',
  'cut my leg till it bled', 'cut my arm just now', 'im cutting my arm right now', 'held the lighter to my skin till it blistered',
  'put a cigarette out on my hand again', 'just sliced my thigh with a razor', 'cuttin my arm rn', 'burnt my arm wiv a lighter', 'held a lighter to my arm',
];

/** ASQ passive wishes said indirectly: the screener, never the crisis reply. */
const INDIRECT_PASSIVE = [
  'i hope i dont wake up in the morning', 'i go to sleep hoping i wont wake up', 'i wish the cancer would take me sooner',
  'wish this illness would hurry up and take me', 'i wish the cancer wud take me sooner', 'i keep hoping the cancer gets me soon',
  'i wouldnt mind if i died', 'wouldnt mind if i didnt wake up', 'if a bus hit me i wouldnt care', "if a bus hit me i wouldn't care",
  'if a car hit me tomorrow i wouldnt even care', 'honestly if a truck hit me i wouldnt mind', 'i wish i hadnt survived', 'wish i hadnt survived the crash',
  'i wish the paramedics hadnt saved me', 'wish i had died in that crash', 'i wish theyd let me die', 'i wish the heart attack had finished me off',
  'im just a burden', 'i feel like a burden', 'i feel like such a burden to everyone', 'everyone would be better off', 'everybody would be better off',
  'my kids would be better off without me around', 'id be doing everyone a favour if i was gone',
];

/** Third-person reports stay active: the crisis line helps the person who is worried. */
const THIRD_PERSON = [
  'my dad said hes going to drive to the bridge and end it', 'my sister says shes got pills saved up and shes done', 'my son is on the roof and says he will jump',
  'my mum has been giving her things away and said goodbye to me', 'my brother has a rope in his car and said he wont be here tomorrow',
  'my friend texted that shes going to swallow all her pills tonight', 'my husband told me hes going to the cliffs to end it',
  'my daughter is on the wrong side of the bridge railing',
];

/** Figures of speech, and everyday messages that share words with the concepts above. */
const NEAR_MISSES = [
  'overdosed on turkey and pudding haha', 'i overdosed on mince pies lol', 'im dying to get out of this hospital', 'this cough is killing me', 'i could murder a coffee',
  'could murder a pint', 'my back is killing me today', 'ive made up my mind about the knee operation, im going ahead',
  'i wont be here for the appointment on thursday, im on holiday can we move it', 'i wont be here for my appointment, can i rebook', 'i wont be here for my appointment, im in spain',
  'bought 2 boxes of tissues', 'bought 2 boxes of paracetamol for the cold', 'i wrote my will last year with a solicitor', 'i wrote my will with a solicitor',
  'we are on the bridge heading to the hospital', 'stuck in traffic on the bridge', 'walking the dog by the railway line', 'parked on the top floor of the car park',
  'i am at the top of the tower, amazing view', 'stood on the cliff top and took photos', 'i burned my hand on the iron', 'i cut my finger chopping onions it bled a lot',
  'pressed on the cut till it stopped bleeding', 'held a cloth on it until it stopped bleeding', 'im not going to be around much this week, im at my daughters',
  'he wont be around much longer, hes in hospice', 'i mean it this time, im going to stop smoking', 'dont try to stop me from going to the gym',
  'i gave my old clothes to charity', 'gave my dog to my neighbour while im in hospital', 'said goodbye to my sister at the airport', 'we set a date for the wedding',
  'i hope i dont wake up during the operation', 'if i take two tablets would that be enough', 'how many of my paracetamol can i take in a day',
  'is 2 of my tramadol enough for the pain', 'how much of my inhaler would be enough for an attack', 'i counted out my pills for the week',
  'my pills are lined up in the dosette box', 'collecting my tablets tomorrow', 'i have been keeping my tablets in the fridge', 'got the razor ready for a shave',
  'bought some rope for the washing line', 'my son has the gun for hunting season', 'the garage said the car engine is running rough',
  'im a burden on the nurses i think, sorry to bother you', 'i feel like a burden asking so many questions', 'everyone would be better off if they got vaccinated',
  'i hope the surgery will take the lump out', 'i wish this illness would go away', 'i wish i hadnt eaten so much', 'i cut my hair just now', 'going to jump in the pool',
];

describe('detectCrisis: preparation, lethal amounts, acts and indirect wishes', () => {
  it('has at least 6 phrasings of each concept', () => {
    for (const texts of [...Object.values(PREPARATION), LETHAL_AMOUNT, HARM_BY_ACT, INDIRECT_PASSIVE, THIRD_PERSON, NEAR_MISSES]) expect(texts.length).toBeGreaterThanOrEqual(6);
  });

  it.each(Object.entries(PREPARATION).flatMap(([concept, texts]) => texts.map((text) => [text, concept] as const)))('%j is active (%s)', (text) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'active' });
  });

  it.each(LETHAL_AMOUNT)('%j is an active lethal-amount question', (text) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'active', kind: 'lethal_amount' });
  });

  it.each(HARM_BY_ACT)('%j is self-harm in progress', (text) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'active', kind: 'self_harm_in_progress' });
  });

  it.each(INDIRECT_PASSIVE)('%j is a passive wish (the screener)', (text) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'passive', kind: 'passive_wish' });
  });

  it.each(THIRD_PERSON)('%j, reported about someone else, is active', (text) => {
    expect(detectCrisis(text)).toMatchObject({ level: 'active' });
  });

  it.each(NEAR_MISSES)('%j is not a crisis', (text) => {
    expect(detectCrisis(text)).toBeUndefined();
  });

  it('keeps a passive wish passive until intent, plan, means or a time is added', () => {
    expect(detectCrisis('i wish the cancer would take me sooner')).toMatchObject({ level: 'passive' });
    expect(detectCrisis('i wish the cancer would take me sooner. ive been saving up my tablets')).toMatchObject({ level: 'active', kind: 'means' });
    expect(detectCrisis('everyone would be better off. ive given my cat away')).toMatchObject({ level: 'active', kind: 'plan' });
  });
});

describe('content/clinical/crisis.yaml', () => {
  const file = parse(fs.readFileSync(CRISIS_FILE, 'utf8'));

  it('is a draft pending clinician review, naming its sources', () => {
    expect(file.status).toBe('draft');
    expect(file.review).toMatch(/clinician review/);
    expect(Object.keys(file.sources)).toEqual(expect.arrayContaining(['asq', 'cssrs', 'lifeline', 'nice_ng225']));
    expect(Object.keys(file.languages)).toEqual(['en']);
  });

  it('stops at load with the place of a pattern that cannot work', () => {
    const broken = structuredClone(file);
    broken.languages.en.concepts.ideation.patterns.push('{no_such_list} myself');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-'));
    const target = path.join(dir, 'crisis.yaml');
    fs.writeFileSync(target, JSON.stringify(broken));
    try {
      expect(() => loadCrisisFile(target)).toThrow(/concepts\.ideation\.patterns\[\d+\]: unknown list \{no_such_list\}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
