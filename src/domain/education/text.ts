/**
 * Text normalisation shared by the index and the query, so both sides agree on what a "word" is.
 * Deliberately small: lowercase, drop apostrophes ("won't" -> "wont", so it cannot match "won"),
 * drop function words, and strip a few English suffixes so "leaking" finds "leak" and "stitches" finds "stitch".
 */

const STOP_WORDS = new Set(
  `a about above after again all am an and any are as at be because been before being below between both but by
  can cant could did didnt do does doesnt doing dont down during each few for from further get gets got had has have
  having he her here hers herself him himself his how i id if im in into is isnt it its itself ive just me more most
  my myself no nor not now of off on once only or other our ours out over own please same she should so some such
  than that thats the their theirs them then there these they this those through to too under until up very was we
  were what whats when where which while who whom why will with would you your yours yourself ok okay hi hello thanks
  thank really also still much many lot lots ask tell know need want think maybe something anything
  time times day days week weeks today tonight tomorrow yesterday best good great nice thing things way ways
  go going get getting make made buy cost price costs open cheap sunday monday tuesday wednesday thursday friday
  saturday kinda sorta like just guess wondering question havent hasnt ive youre theyre long last soon stuff
  twice morning mornings evening evenings afternoon`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);

/** Splits text into lowercase words; apostrophes are removed first so contractions stay one word. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Drops stop words and stems what is left; returns null for words that carry no meaning for search. */
export function processTerm(term: string): string | null {
  const word = term.toLowerCase();
  if (STOP_WORDS.has(word)) return null;
  return stem(word);
}

/** A tiny suffix stripper (not Porter): enough to join the plural and -ing/-ed forms patients and articles use. */
export function stem(word: string): string {
  if (word.length <= 3 || /^\d+$/.test(word)) return word;
  let stemmed = word;
  if (stemmed.endsWith('ies') && stemmed.length > 4) stemmed = `${stemmed.slice(0, -3)}y`;
  else if (stemmed.endsWith('s') && !/(ss|us|is)$/.test(stemmed)) stemmed = stemmed.slice(0, -1);
  if (stemmed.endsWith('ing') && stemmed.length - 3 >= 3) stemmed = stemmed.slice(0, -3);
  else if (stemmed.endsWith('ed') && stemmed.length - 2 >= 3) stemmed = stemmed.slice(0, -2);
  // Only past four letters, so "care" stays "care" (and a question about a "car" cannot find it).
  if (stemmed.endsWith('e') && stemmed.length > 4) stemmed = stemmed.slice(0, -1);
  return stemmed;
}
