import { describe, expect, it } from 'vitest';
import { EMERGENCY_KINDS, detectEmergencies, detectEmergency, type EmergencyKind } from '../../src/domain/safety/emergency.js';
import { foldText, splitWords } from '../../src/domain/safety/normalize.js';

/** Messages that must raise an emergency, by kind: lay wording, typos, shorthand, caregivers, Spanish basics. */
const POSITIVES: Record<EmergencyKind, string[]> = {
  cardiac: [
    'chest pian',
    'my chest hurts really bad',
    'feels like an elephant sitting on my chest',
    'feels like someone is sitting on my chest',
    'I think I\'m having a heart attack',
    'i think im havin a heart atack',
    'I have chest pain, is that a side effect?',
    'i have chest pain is that a side effect',
    'no fever but crushing chest pain',
    'no fever, but my chest has been hurting for an hour',
    'chest feels tight and heavy',
    'there is a lot of pressure on my chest',
    'pain in my chest going down my left arm',
    'CHEST PAIN',
    'chestpain bad',
    'chesst paiin',
    'cheast pain',
    'TAKEN. but my chest hurts real bad',
    'squeezing feeling in my chest and im sweating',
    'its like a band around my chest',
    'my husband is clutching his chest and sweating',
    'could this be a heart attack',
    'am i having a heart attack',
    'not sure if its a heart attack but my chest feels heavy',
    'took my nitro and the pain didnt go away',
    'my heart hurts',
    'pain radiating to my jaw',
    'my chest hurts 😭😭',
    'pain 9/10 in my chest',
    'me duele el pecho',
    'tengo dolor en el pecho',
    'c h e s t pain',
    'Hi, this is John. I think I\'m having a heart attack.',
    'No. Chest pain.',
    'not great, chest pain',
    'no fever; chest pain though',
    'No fever and now chest pain',
    'i dont know whats wrong my chest hurts',
    'my chest hurts like when i had my heart attack 2 years ago',
    'my chest hurts, it stopped for a minute but came back',
    'does chest pain always mean a heart attack? because i have it right now',
    'should i worry about this chest pain',
    'is it normal to have chest pain after surgery?',
  ],
  breathing: [
    'cant breath',
    'cant breathe',
    'cant   breathe',
    'I can’t breathe',
    'can t breathe',
    'HEEEELP CANT BREATHE',
    'hard to breath',
    'struggling to breathe',
    'i cant catch my breath',
    'can\'t get air',
    'having trouble breathing',
    'im having a hard time breathing',
    'my breathing is getting worse',
    'not breathing',
    'he stopped breathing',
    'my baby isnt breathing',
    'not able to breathe',
    'short of breath',
    'shortness of breath',
    'very sob',
    'i can barely breathe',
    'choking',
    'my son is choking',
    'gasping for air',
    'lips turning blue',
    'my baby is turning blue',
    'inhaler isnt helping',
    'asthma attack',
    'i feel like im suffocating',
    'my oxygen is 84',
    'no puedo respirar',
    'me falta el aire',
    'cant talk in full sentences, out of breath',
    's.o.b.',
  ],
  stroke: [
    'face drooping',
    'my face is drooping on one side',
    'his smile is crooked',
    'her face looks lopsided',
    'can\'t feel my left arm',
    'can\'t move one side',
    'he cant raise his arms',
    'my left side feels weak',
    'right arm and leg are numb',
    'numbness on one side of my body',
    'slurred speech',
    'she is slurring her words',
    'slurrred speech',
    'sudden confusion',
    'my mom is suddenly confused and doesnt know where she is',
    'my grandpa is confused all of a sudden',
    'worst headache of my life',
    'worst headach of my life',
    'sudden severe headache',
    'i suddenly lost vision in one eye',
    'cant talk right',
    'my dad is talking gibberish',
    'i think hes having a stroke',
    'is he having a stroke?',
    'maybe a stroke?',
    'double vision',
    'tiene la cara caida',
  ],
  bleeding: [
    'bleeding won\'t stop',
    'the bleeding won\'t stop',
    'bleeeeding wont stoppp',
    'my incision wont stop bleeding',
    'I\'m bleeding a lot',
    'wound bleeding alot',
    'soaked through the bandage',
    'blood soaked through my bandage',
    'blood everywhere',
    'blood is pouring out',
    'blood keeps coming out of the wound',
    'coughing blood',
    'coughing up blood',
    'vomiting blood',
    'throwing up blood',
    'heavy bleeding',
    'so much blood',
    'cant stop the bleeding',
    'pool of blood on the floor',
    'bleed ing wont stop',
    'bleeding from my stitches and it wont stop',
    'no para de sangrar',
  ],
  suicide: [
    'I\'m not ok, I want to die',
    'im not ok i want to die',
    'i wanna die',
    'i waaaant to dieeee',
    'kill myself',
    'i want to kill my self',
    'end it all',
    'thinking about ending it all',
    'no reason to live',
    'better off dead',
    'everyone would be better off without me',
    'i\'m suicidal',
    'suicidal',
    'having suicidal thoughts',
    'i dont want to live anymore',
    'i wish i was dead',
    'life isn\'t worth living',
    'i cant go on anymore',
    'kms',
    'i want to jump off a bridge',
    'im going to overdose on purpose',
    'nobody would miss me if i was gone',
    'im not suicidal but i want to die',
    'what is the number for the suicide hotline, i want to die',
    'me quiero morir',
    'quiero suicidarme',
  ],
  self_harm: [
    'i cut myself',
    'i cut myself again',
    'i want to hurt myself',
    'i keep hurting myself',
    'thinking about hurting myself',
    'i burned myself on purpose',
    'self harming again',
    'i have the urge to cut',
  ],
  overdose: [
    'took too many pills',
    'took to many pills',
    'took the whole bottle',
    'I swallowed a whole bottle of pills',
    'overdosed',
    'i od\'d',
    'i think i od',
    'she ODed on heroin',
    'i took twenty pills',
    'took 30 tylenol',
    'i took all of my sleeping pills',
    'i think i took too much insulin',
    'my toddler swallowed my pills',
    'my daughter drank bleach',
    'gave him narcan',
    'se tomo todas las pastillas',
  ],
  anaphylaxis: [
    'throat closing',
    'my throat is closing up',
    'my throat feels like its closing',
    'my tongue is swelling',
    'my tounge is swelling',
    'lips are swelling',
    'face swelling after the new medicine',
    'my face swelled up after taking the new medicine',
    'i have hives and cant breathe',
    'hives all over and trouble breathing',
    'i think im having an allergic reaction',
    'anaphylactic shock',
    'used my epipen',
  ],
  violence: [
    'he is going to hurt me',
    'my husband is going to kill me',
    'he said he would kill me',
    'my boyfriend is hitting me',
    'someone is breaking into my house',
    'he won\'t let me leave and says he\'ll kill me',
    'i was just assaulted',
    'i don\'t feel safe at home',
    'he is threatening me with a knife',
    'me va a matar',
  ],
  seizure: [
    'having a seizure',
    'my wife is having a siezure',
    'he is convulsing',
    'she\'s fitting',
    'he\'s having a fit',
    'she\'s seizing right now',
    'hes jerking uncontrollably',
    'eyes rolled back and shaking',
  ],
  unresponsive: [
    'he won\'t wake up',
    'cant wake him up',
    'i cant wake my mom up',
    'passed out',
    'fainted and not waking up',
    'she is unresponsive',
    'he\'s unconscious',
    'my dad collapsed',
    'she\'s not responding',
    'found him on the floor not moving',
    'no despierta',
  ],
  sepsis: ['i think i have sepsis', 'fever and very confused', 'temp 103 and my skin is mottled'],
  declared: ['call 911', 'i need an ambulance', 'this is an emergency', 'i think im dying', 'i fell and cant get up', 'someone help me', 'emergency!!!'],
};

/** Messages that must not raise an emergency, by reason. */
const NEGATIVES: Record<string, string[]> = {
  negated: [
    'no chest pain today',
    'I don\'t have chest pain',
    'denies chest pain',
    'not short of breath',
    'never had a seizure',
    'no thoughts of hurting myself',
    'without any bleeding',
    'I don\'t have any chest pain or shortness of breath',
    'no chest pain no sob',
    'Not having any trouble breathing',
    'there is no bleeding from the incision',
    'I\'ve never been suicidal',
    'no suicidal thoughts',
    'i would never hurt myself',
    'i\'m not going to hurt myself',
    'i dont want to die from this cancer',
    'I can\'t breathe through my nose',
    'no tengo dolor de pecho',
    'chest pain? no',
    'Chest pain: none',
    'no more bleeding',
    'i don\'t feel suicidal',
  ],
  resolved: [
    'chest pain is gone',
    'chest pain went away',
    'the chest pain I had yesterday is gone',
    'bleeding has stopped',
    'the bleeding stopped after i put pressure on it',
    'my breathing is back to normal',
    'the doctor ruled out a heart attack',
    'i almost fainted when i saw the bill lol',
    'had some chest pain earlier but it went away',
    'i was short of breath but it passed',
  ],
  historical: [
    'my grandma had a stroke years ago',
    'had a heart attack in 2015',
    'my dad died of a heart attack',
    'I had a seizure 3 years ago',
    'history of stroke',
    'used to cut myself as a teenager',
    'I fainted once in high school',
  ],
  informational: [
    'what are the signs of a stroke?',
    'is chest pain a side effect of this medicine?',
    'what are the symptoms of a heart attack?',
    'how do you know if someone is having a stroke',
    'can this medicine cause chest pain?',
    'what should i do if i have chest pain',
    'if i get chest pain should i call you',
    'how to prevent a stroke',
    'tell me about heart attacks',
    'what is anaphylaxis',
    'heart attack symptoms in women',
    'what is the suicide hotline number',
    'how do I use my epipen',
    'can i have a heart attack from stress',
    'what if i get a seizure while driving',
    'could my new pills cause a stroke',
    'when should i worry about shortness of breath',
    'I read that sudden confusion is a stroke sign',
    'the leaflet says call 911 for chest pain',
    'my discharge papers say to watch for bleeding that won\'t stop',
    '¿cuáles son los síntomas de un infarto?',
  ],
  everyday: [
    'taken',
    'snooze 30',
    '1',
    'yes',
    'STOP',
    'help',
    'my wound looks fine',
    'pain is 3 out of 10',
    'took my 10 pills today',
    'a little bleeding on the bandage but it stopped',
    'blood pressure 130/80',
    'blood test results?',
    'seizure meds refill please',
    'i need to refill my narcan',
    'I\'m taking too many pills every day, can we cut back?',
    'i\'m confused about my medication schedule',
    'can\'t talk right now, at work',
    'I can\'t wake up early in the morning',
    'my lip is swollen from the dentist',
    'use 1 drop in OD',
    'I feel odd',
    'i sob every night',
    'i want to stop taking my medicine',
    'stop texting me',
    'my nurse told me to take 2 pills',
  ],
  idioms: [
    'i\'m dying to know my results',
    'this heat is killing me',
    'my back is killing me',
    'i cut myself shaving',
    'hurt myself at the gym',
    'choked up watching a movie',
    'i want to die my hair purple',
    'took the whole pack of gum lol',
    'my face dropped when i saw the bill',
    'my kids are going to kill me if i forget their lunch lol',
    'my husband would kill me if he saw my messy house',
    'my neighbor passed out flyers',
    'the pressure bandage on my chest is itchy',
    'ugh i\'m dying here with this heat',
    'my mom gets confused sometimes, she has dementia',
    'I\'m worried about having a stroke',
    'i\'m dying laughing',
  ],
};

const positiveCases = Object.entries(POSITIVES).flatMap(([kind, texts]) => texts.map((text) => [text, kind] as const));
const negativeCases = Object.entries(NEGATIVES).flatMap(([reason, texts]) => texts.map((text) => [text, reason] as const));

describe('detectEmergency', () => {
  it('covers every kind with positive cases, and has enough cases overall', () => {
    for (const kind of EMERGENCY_KINDS) expect(POSITIVES[kind].length).toBeGreaterThan(0);
    expect(positiveCases.length + negativeCases.length).toBeGreaterThanOrEqual(120);
  });

  it.each(positiveCases)('%j is %s', (text, kind) => {
    expect(detectEmergency(text)?.kind).toBe(kind);
  });

  it.each(negativeCases)('%j is not an emergency (%s)', (text) => {
    expect(detectEmergency(text)).toBeUndefined();
  });

  it.each([
    ['', undefined],
    ['   ', undefined],
    ['😭😭😭', undefined],
    ['?!', undefined],
  ])('%j is not an emergency', (text, expected) => {
    expect(detectEmergency(text)).toBe(expected);
  });
});

describe('the matched phrase', () => {
  it('holds only the words that matched, never the rest of the message', () => {
    const match = detectEmergency('Hi this is Maria Lopez, DOB 3/4/1961, my chest hurts really bad since 5am');
    expect(match).toEqual({ kind: 'cardiac', phrase: 'chest hurts' });
  });

  it.each([
    ['I can’t breathe!!', 'cant breathe'],
    ['i od\'d on my pills', 'overdosed'],
    ['my incision is bleeding alot', 'bleeding alot'],
    ['heeelp my tounge is swelling', 'tounge is swelling'],
  ])('%j matched as %j (normalised, as the patient wrote it)', (text, phrase) => {
    expect(detectEmergency(text)?.phrase).toBe(phrase);
  });
});

describe('detectEmergencies', () => {
  it('reports every kind found, most specific first', () => {
    const kinds = detectEmergencies('I took the whole bottle, I want to die and I cant breathe').map((match) => match.kind);
    expect(kinds).toEqual(['overdose', 'suicide', 'breathing']);
  });

  it('puts the cause before the symptom it brings', () => {
    expect(detectEmergencies('my throat is closing and i cant breathe').map((match) => match.kind)).toEqual(['anaphylaxis', 'breathing']);
  });

  it('finds an emergency after a negated clause, and ignores the negated one', () => {
    expect(detectEmergencies('no chest pain, but the bleeding wont stop')).toEqual([{ kind: 'bleeding', phrase: 'bleeding wont stop' }]);
  });

  it('is empty for an ordinary reply', () => {
    expect(detectEmergencies('taken, thanks')).toEqual([]);
  });

  it('stays fast and bounded on a very long message', () => {
    const long = `${'my appointment is tomorrow and I have a question about parking. '.repeat(200)}`;
    const started = performance.now();
    expect(detectEmergency(long)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('text folding', () => {
  it('lower-cases, strips accents and unifies curly apostrophes', () => {
    expect(foldText('CAN’T Respirar Corazón')).toBe("can't respirar corazon");
  });

  it('reads "od\'d" before its apostrophe goes', () => {
    expect(splitWords(foldText("He OD'd"))).toEqual(['he', 'overdosed']);
  });

  it('keeps clause breaks and drops apostrophes inside words', () => {
    expect(splitWords(foldText("no fever, but I can't breathe..."))).toEqual(['no', 'fever', '|', 'but', 'i', 'cant', 'breathe']);
  });

  it('reads a pain score as one clause', () => {
    expect(splitWords(foldText('pain 9/10'))).toEqual(['pain', '9', 'of', '10']);
  });
});
