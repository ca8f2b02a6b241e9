/**
 * Which lexicon entries can possibly match a message, from the first word each wording line can start with.
 *
 * The lexicon holds hundreds of codes; trying every code's pattern on every message dominated the cost of a
 * triage. Nearly every wording line starts with a word or a choice of words ("chest", "(lips|face|skin)",
 * "sweat\w*"), so a line can only match where a message word begins with one of those prefixes. A line whose
 * start cannot be read that simply (`\w+`, a bare digit) makes its code always checked: the filter only skips
 * work, it never changes a result.
 */

/** The end index (exclusive) of the group that opens at `open`. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let index = open; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      index++;
      continue;
    }
    if (char === '[') {
      while (index < source.length && source[index] !== ']') index += source[index] === '\\' ? 2 : 1;
      continue;
    }
    if (char === '(') depth++;
    if (char === ')' && --depth === 0) return index + 1;
  }
  return -1;
}

/** Top-level alternatives of a group body ("a|b(c|d)|e" -> ["a", "b(c|d)", "e"]). */
function alternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char === '\\') index++;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(body.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/**
 * The prefixes a match of `source` must start with, or undefined when that cannot be told simply (then the
 * pattern is always tried). `source` is one wording line, matched after a space.
 */
export function leadingPrefixes(source: string): string[] | undefined {
  let rest = source;
  // Lookbehinds consume nothing.
  while (/^\(\?<[!=]/.test(rest)) {
    const end = groupEnd(rest, 0);
    if (end < 0) return undefined;
    rest = rest.slice(end);
  }
  if (rest.startsWith('(')) {
    const end = groupEnd(rest, 0);
    if (end < 0) return undefined;
    const body = rest.slice(rest.startsWith('(?:') ? 3 : 1, end - 1);
    if (/^\?[=!<]/.test(body)) return undefined;
    const after = rest.slice(end);
    const optional = /^(\?|\*|\{0,)/.test(after);
    const tail = after.replace(/^(\?|\*|\+|\{\d*,?\d*\})\??/, '');
    const found: string[] = [];
    for (const branch of alternatives(body)) {
      const prefixes = branch === '' ? leadingPrefixes(tail) : leadingPrefixes(branch + tail);
      if (!prefixes) return undefined;
      found.push(...prefixes);
    }
    if (optional) {
      const skipped = leadingPrefixes(tail);
      if (!skipped) return undefined;
      found.push(...skipped);
    }
    return found;
  }
  const literal = /^[a-z0-9]+/.exec(rest)?.[0] ?? '';
  // "pains?" or "an?" make the last letter optional.
  const usable = /^[?*{]/.test(rest.slice(literal.length)) ? literal.slice(0, -1) : literal;
  return usable.length >= 2 ? [usable] : undefined;
}

/** An index from word starts to the codes whose wording can begin there. */
export class WordPrefixIndex {
  private readonly byStart = new Map<string, { prefix: string; code: number }[]>();
  private readonly always: number[] = [];

  /** `lines[code]` holds the wording lines of entry number `code`. */
  constructor(lines: readonly (readonly string[])[]) {
    lines.forEach((codeLines, code) => {
      const prefixes = codeLines.map(leadingPrefixes);
      if (prefixes.some((found) => found === undefined)) {
        this.always.push(code);
        return;
      }
      for (const prefix of new Set(prefixes.flat() as string[])) {
        const key = prefix.slice(0, 2);
        const bucket = this.byStart.get(key) ?? [];
        bucket.push({ prefix, code });
        this.byStart.set(key, bucket);
      }
    });
  }

  /** Entry numbers that may match a text made of `words`, in entry order. */
  candidates(words: Iterable<string>): number[] {
    const found = new Set(this.always);
    for (const word of words) {
      for (const { prefix, code } of this.byStart.get(word.slice(0, 2)) ?? []) if (word.startsWith(prefix)) found.add(code);
    }
    return [...found].sort((left, right) => left - right);
  }
}
