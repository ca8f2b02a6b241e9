/**
 * Spells the plain words of a lexicon pattern the way messages are spelled, so a reviewer can write a line in the
 * patient's words ("fighting for breath") and it still meets the normalised message ("fighting for breathe": the
 * message normaliser folds "breath" into "breathe", because "cant breath" is far more often a typo). Without this,
 * every word the normaliser changes (a variant, a phrase fold such as "light headed" -> "lightheaded") made the
 * line that used it silently dead.
 *
 * Only whole words are spelled: a run of words that starts and ends at a word edge of the pattern (start or end,
 * a space, a group's opening or closing parenthesis, `|`, `\b`). A word glued to regex syntax is a stem or part of a
 * spelling choice (`breath\w*`, `breathe?`, `recogni[sz]e`, `\w+cillin`) and is left as written: the reviewer meant
 * those letters.
 */

/** The canonical words of a phrase, exactly as the message normaliser spells them. */
export type SpellPhrase = (phrase: string) => string[];

const RUN = /^[a-z0-9'&]+(?: [a-z0-9'&]+)*/;
/** Group openers after which a word starts at a word edge. */
const OPENER = /^\((?:\?(?::|=|!|<=|<!))?/;

/** Whether the pattern, after a run of words ending at `end`, continues at a word edge. */
function endsAtEdge(source: string, end: number): boolean {
  const next = source[end];
  return next === undefined || next === ' ' || next === '|' || next === ')' || source.startsWith('\\b', end);
}

/** The longest prefix of `run` (whole words) that ends at a word edge of `source`, as a word count (0: none). */
function usableWords(source: string, at: number, run: string): number {
  const words = run.split(' ');
  if (endsAtEdge(source, at + run.length)) return words.length;
  // The last word is glued to syntax ("can barely breathe?"): the words before it still stand on their own.
  return words.length - 1;
}

/** Whether `index` is inside the quantifier of a group that just closed ("(my )?", "(\\w+ ){0,3}"). */
function closedBefore(source: string, index: number): boolean {
  const before = source.slice(0, index);
  return /\)(\?|\*|\+|\{[0-9,]*)?$/.test(before);
}

/** Rewrites the whole-word runs of a pattern source in canonical spelling; everything else is kept as written. */
export function spellPatternWords(source: string, spell: SpellPhrase): string {
  let out = '';
  let index = 0;
  let atEdge = true;
  while (index < source.length) {
    const rest = source.slice(index);
    const char = source[index] ?? '';
    if (char === '\\') {
      out += rest.slice(0, 2);
      atEdge = rest[1] === 'b';
      index += 2;
      continue;
    }
    if (char === '[') {
      let end = index + 1;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      out += source.slice(index, end + 1);
      index = end + 1;
      atEdge = false;
      continue;
    }
    const opener = char === '(' ? OPENER.exec(rest)?.[0] : undefined;
    if (opener) {
      out += opener;
      index += opener.length;
      atEdge = true;
      continue;
    }
    const run = atEdge ? RUN.exec(rest)?.[0] : undefined;
    if (run) {
      const count = usableWords(source, index, run);
      const words = run.split(' ').slice(0, count);
      const spelled = (phrase: string): string => spell(phrase).map((word) => word.replace(/\./g, '\\.')).join(' ') || phrase;
      const last = run.split(' ').pop() ?? '';
      if (count < run.split(' ').length && source[index + run.length] === '?' && endsAtEdge(source, index + run.length + 1) && last.length > 2) {
        // "breaths?" is two words, "breath" and "breaths": each spelled as a message spells it.
        const head = words.length > 0 ? `${spelled(words.join(' '))} ` : '';
        out += `${head}(?:${spelled(last.slice(0, -1))}|${spelled(last)})`;
        index += run.length + 1;
        atEdge = false;
        continue;
      }
      if (count > 0) {
        const phrase = words.join(' ');
        out += spelled(phrase);
        index += phrase.length;
        atEdge = false;
        continue;
      }
    }
    out += char;
    // A word starts at an edge after a space or a choice, and after a group whose words end with a space, however
    // the group is quantified: "(my |the )?breath" is the word "breath", "(un)?well" is not the word "well".
    if (char === ')') atEdge = source[index - 1] === ' ';
    else if (!(/[?*+{},0-9]/.test(char) && closedBefore(source, index))) atEdge = char === ' ' || char === '|';
    index++;
    if (/^[a-z0-9'&]/.test(char)) {
      // Skip the rest of a glued word: "flutter" in "flutter\w*" must not be read from its second letter.
      while (index < source.length && /[a-z0-9'&]/.test(source[index] ?? '')) out += source[index++];
    }
  }
  return out;
}
