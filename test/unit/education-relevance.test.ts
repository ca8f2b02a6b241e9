import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/domain/education/answer.js';
import { loadLibrary } from '../../src/domain/education/library.js';

/**
 * Does the library answer only when the passage is about the question? One case: the patient's words and the
 * article that should answer (any of several when more than one would do), or null for "I don't know".
 * More cases can be added without code: drop a JSON array of cases into test/fixtures/ as
 * `education-relevance*.json` (an independent set, written by someone who has not read the articles).
 */
interface RelevanceCase {
  text: string;
  article: string | string[] | null;
}

const library = loadLibrary();

/** The article the answer cites first, or null when the library says it does not know. */
function citedArticle(text: string): string | null {
  const answer = answerQuestion(library, text);
  if (answer.status === 'no_match') return null;
  const main = answer.passages.find((passage) => passage.role === 'answer') ?? answer.passages[0];
  return main?.articleId ?? null;
}

/** Registers one test per case. */
function describeRelevance(name: string, cases: readonly RelevanceCase[]): void {
  describe(name, () => {
    it.each(cases.map((c) => [c.text, c] as const))('%s', (_text, { text, article }) => {
      const cited = citedArticle(text);
      if (article === null) expect(cited, 'should say "I don\'t know"').toBeNull();
      else expect([article].flat(), `cited ${String(cited)}`).toContain(cited);
    });
  });
}

// Questions the library cannot answer: other conditions and body parts, pets and objects that share a word
// ("stitches", "leaking", "swelling") with an article, and medicines no article is about.
const UNANSWERABLE: RelevanceCase[] = [
  { text: "my dog's stitches look red and puffy", article: null },
  { text: 'can I give my cat some tylenol for her limp', article: null },
  { text: 'my car engine is overheating, what should i do', article: null },
  { text: 'my phone battery is swelling up', article: null },
  { text: 'the pipe under my sink is leaking', article: null },
  { text: 'my houseplant leaves have brown spots', article: null },
  { text: 'what is the best treatment for gout', article: null },
  { text: 'how do i stop a migraine', article: null },
  { text: 'is a sore knee normal after jogging', article: null },
  { text: 'how do i know if i have pink eye', article: null },
  { text: 'what can i do about heartburn at night', article: null },
  { text: 'my ear is ringing all the time', article: null },
  { text: 'how do i get rid of head lice', article: null },
  { text: 'can i take amoxicillin with milk', article: null },
  { text: "I'm pregnant, can I take doxycycline?", article: null },
  { text: 'is sertraline safe while breastfeeding', article: null },
  { text: 'how long does a sprained ankle take to heal', article: null },
  { text: 'what are the first signs of covid', article: null },
  { text: 'my lower back aches when i bend', article: null },
  { text: 'how can i lower my cholesterol', article: null },
  { text: 'i burned my hand on the stove', article: null },
  { text: 'my tooth hurts when i drink cold water', article: null },
  // A second batch, written before the tuning they then drove (first run: 20 of 20 right).
  { text: 'my hamster is not eating', article: null },
  { text: 'can my puppy have ibuprofen', article: null },
  { text: 'my laptop gets really hot', article: null },
  { text: 'my tire has a slow leak', article: null },
  { text: 'the roof is leaking after the storm', article: null },
  { text: 'my kitten has a runny nose', article: null },
  { text: 'what is shingles', article: null },
  { text: 'how do i treat athletes foot', article: null },
  { text: 'does arthritis get worse in the cold', article: null },
  { text: 'my eye is red and itchy', article: null },
  { text: 'is it normal for my period to be late', article: null },
  { text: 'can i take xanax with my pain pills', article: null },
  { text: 'my wrist hurts when i type', article: null },
  { text: 'what causes kidney stones', article: null },
  { text: 'can i drink wine while taking metformin', article: null },
  { text: 'my baby has diaper rash', article: null },
  { text: 'is it safe to get a flu shot while sick', article: null },
  { text: 'how do i treat a sunburn', article: null },
  { text: 'my neck is stiff from sleeping wrong', article: null },
  { text: 'how do i quit smoking', article: null },
];

// Questions it can answer, in patient words that do not copy the titles.
const ANSWERABLE: RelevanceCase[] = [
  { text: 'the cut from my operation is oozing yellow stuff', article: ['wound-infection', 'wound-care'] },
  { text: 'is it ok to get my stitches wet in the shower', article: ['wound-care', 'stitches-staples'] },
  { text: 'my calf is tender and warm since the operation', article: 'blood-clots' },
  { text: 'i have chills and a temp of 101', article: 'fever-adults' },
  { text: 'my pee is dark and i feel lightheaded', article: 'hydration' },
  { text: 'i cant stop puking', article: 'nausea-vomiting' },
  { text: 'havent had a bowel movement since my surgery', article: 'constipation' },
  { text: 'what numbers are too high for blood pressure', article: 'high-blood-pressure' },
  { text: 'how do i use the cuff to check my pressure at home', article: 'home-blood-pressure' },
  { text: 'im shaky and sweaty and my sugar is 60', article: 'low-blood-sugar' },
  { text: 'my sugar is way too high and i keep peeing a lot', article: 'high-blood-sugar' },
  { text: 'should i check my toes every day with diabetes', article: 'diabetes-foot-care' },
  { text: 'when can i lift my grandkids after surgery', article: 'activity-after-surgery' },
  { text: 'i keep waking up at night and cant get back to sleep', article: 'sleep' },
  { text: 'i feel down and anxious all the time', article: 'mental-health' },
  { text: 'how do i use my puffer properly', article: 'asthma-inhalers' },
  { text: 'i only have a runny nose and sneezing, what helps', article: 'cough-cold' },
  { text: "i forgot yesterday's dose of my pills", article: 'missed-doses' },
  { text: 'is it safe to take advil on an empty stomach', article: 'pain-medicine-safety' },
  { text: 'how do i dispose of leftover percocet', article: 'opioid-safety' },
  { text: 'the area around my surgery is purple and black and blue', article: 'swelling-bruising' },
  { text: 'what are the signs of a stroke?', article: 'emergency-signs' },
  { text: 'when should I call 911 after surgery?', article: 'emergency-signs' },
  { text: 'what does a heart attack feel like', article: 'emergency-signs' },
  // A second batch, written before the tuning it then drove (first run: 26 of 30 right; the stop words, the
  // disposal and "take my blood pressure" synonyms came from it; "my belly is bruised around the incision" is
  // still "I don't know", the price of gating body parts).
  { text: 'my wound is gaping open a little', article: 'wound-infection' },
  { text: 'theres a red streak going up from my cut', article: 'wound-infection' },
  { text: 'can i take a shower with staples', article: ['wound-care', 'stitches-staples'] },
  { text: 'my leg got swollen and hurts to walk', article: 'blood-clots' },
  { text: 'i feel hot and shivery after surgery', article: 'fever-adults' },
  { text: 'how much water should i drink a day', article: 'hydration' },
  { text: 'i threw up twice this morning', article: 'nausea-vomiting' },
  { text: 'im constipated from the pain pills', article: ['constipation', 'opioid-safety'] },
  { text: 'what is a normal blood pressure', article: 'high-blood-pressure' },
  { text: 'how do i take my blood pressure right', article: 'home-blood-pressure' },
  { text: 'i feel shaky and confused, my sugar might be low', article: 'low-blood-sugar' },
  { text: 'what happens if my blood sugar is too high', article: 'high-blood-sugar' },
  { text: 'how do i check my feet if im diabetic', article: 'diabetes-foot-care' },
  { text: 'when can i go back to work after surgery', article: 'activity-after-surgery' },
  { text: 'i cant fall asleep at night', article: 'sleep' },
  { text: 'i feel hopeless and cant stop crying', article: 'mental-health' },
  { text: 'how do i use an inhaler with a spacer', article: 'asthma-inhalers' },
  { text: 'sore throat and stuffy nose, what can i do', article: 'cough-cold' },
  { text: 'i missed my morning pill, should i take it now', article: 'missed-doses' },
  { text: 'can i take tylenol and advil together', article: 'pain-medicine-safety' },
  { text: 'where do i throw away old oxycodone', article: 'opioid-safety' },
  { text: 'what does a stroke look like', article: 'emergency-signs' },
  { text: 'how do i know if its a heart attack', article: 'emergency-signs' },
  { text: 'how do i set up a weekly pill box', article: 'pill-organizer' },
  { text: 'i got a rash after starting a new medicine', article: 'side-effects' },
  { text: 'do i need an antibiotic for the flu', article: 'antibiotics' },
  { text: 'what should i eat to help my wound heal', article: 'healthy-eating' },
  { text: 'my kid has a fever of 102, what do i do', article: 'fever-children' },
  { text: 'when should i go to urgent care instead of the er', article: 'where-to-get-care' },
];

describeRelevance('questions the library cannot answer get "I don\'t know"', UNANSWERABLE);
describeRelevance('questions the library can answer cite the right article', ANSWERABLE);

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const extraSets = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((name) => /^education-relevance.*\.json$/.test(name)).sort() : [];
for (const name of extraSets) {
  describeRelevance(`fixture ${name}`, JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as RelevanceCase[]);
}
