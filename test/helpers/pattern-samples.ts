/**
 * Example texts for a lexicon line: the words a patient would type for it, read off the pattern itself. Each
 * choice of every group is taken by at least one example, optional parts are taken in some and left out in others,
 * gaps (`(\w+ ){0,3}`) and open endings (`\w*`) are left empty, and a lookahead adds nothing. Only the regex
 * syntax the lexicon files use is read; anything else throws, so a new construct is noticed, not skipped.
 */

type Node =
  | { kind: 'text'; text: string; anyWord?: boolean }
  | { kind: 'choice'; branches: Node[][] }
  | { kind: 'behind'; body: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

class Parser {
  private at = 0;
  constructor(private readonly source: string) {}

  parse(): Node[][] {
    const branches = this.branches();
    if (this.at < this.source.length) throw new Error(`pattern samples: cannot read "${this.source}" at ${this.at}`);
    return branches;
  }

  private branches(): Node[][] {
    const branches: Node[][] = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return branches;
  }

  private sequence(): Node[] {
    const nodes: Node[] = [];
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      nodes.push(this.quantified(atom));
    }
    return nodes;
  }

  private atom(): Node {
    const rest = this.source.slice(this.at);
    const char = rest[0] ?? '';
    if (char === '(') {
      const opener = /^\((\?:|\?=|\?!|\?<=|\?<!)?/.exec(rest)?.[0] ?? '(';
      this.at += opener.length;
      const branches = this.branches();
      if (this.source[this.at] !== ')') throw new Error(`pattern samples: unclosed group in "${this.source}"`);
      this.at++;
      // A lookahead or a negative lookbehind constrains, it adds no words; a lookbehind's words come first.
      if (opener === '(?=' || opener === '(?!' || opener === '(?<!') return { kind: 'text', text: '' };
      if (opener === '(?<=') return { kind: 'behind', body: branches[0] ?? [] };
      return { kind: 'choice', branches };
    }
    if (char === '[') {
      const end = this.source.indexOf(']', this.at);
      const body = this.source.slice(this.at + 1, end);
      this.at = end + 1;
      if (body.startsWith('^')) return { kind: 'text', text: 'x' };
      return { kind: 'text', text: body.replace(/^\\/, '')[0] ?? '' };
    }
    if (char === '\\') {
      this.at += 2;
      const escaped = rest[1] ?? '';
      const meaning: Record<string, string> = { w: 'x', d: '2', b: '', s: ' ', W: ' ' };
      return { kind: 'text', text: meaning[escaped] ?? escaped, ...(escaped === 'w' ? { anyWord: true } : {}) };
    }
    if (char === '^' || char === '$') {
      this.at++;
      return { kind: 'text', text: '' };
    }
    if (/[?*+{]/.test(char)) throw new Error(`pattern samples: a quantifier with nothing before it in "${this.source}"`);
    this.at++;
    return { kind: 'text', text: char === '.' ? 'x' : char };
  }

  private quantified(node: Node): Node {
    const rest = this.source.slice(this.at);
    const found = /^(?:\?|\*|\+|\{(\d+)(,(\d*))?\})\??/.exec(rest);
    if (!found) return node;
    this.at += found[0].length;
    const head = found[0][0];
    if (head === '?') return { kind: 'repeat', node, min: 0, max: 1 };
    if (head === '*') return { kind: 'repeat', node, min: 0, max: Infinity };
    if (head === '+') return { kind: 'repeat', node, min: 1, max: Infinity };
    const min = Number(found[1]);
    const max = found[2] === undefined ? min : found[3] ? Number(found[3]) : Infinity;
    return { kind: 'repeat', node, min, max };
  }
}

function widestChoice(nodes: readonly Node[]): number {
  let widest = 1;
  for (const node of nodes) {
    if (node.kind === 'choice') widest = Math.max(widest, node.branches.length, ...node.branches.map(widestChoice));
    if (node.kind === 'behind') widest = Math.max(widest, widestChoice(node.body));
    if (node.kind === 'repeat') widest = Math.max(widest, widestChoice([node.node]));
  }
  return widest;
}

/** Builds example number `index`; `optionals` counts optional parts met so far, so they alternate. */
function build(nodes: readonly Node[], index: number, optionals: { seen: number }, ending: string): string {
  let text = '';
  for (const node of nodes) {
    if (node.kind === 'text') text += node.text;
    else if (node.kind === 'behind') text += `${build(node.body, index, optionals, ending)} `;
    else if (node.kind === 'choice') text += build(node.branches[index % node.branches.length] ?? [], index, optionals, ending);
    else if (node.node.kind === 'text' && node.node.anyWord && node.min === 0 && /[a-z]$/.test(text)) {
      // An open ending after a stem ("tingl\w*"): the ending the caller asks for ("tingling").
      text += ending;
    } else if (node.node.kind === 'text' && node.node.text === ' ' && node.max === 1) {
      // "e ?liquid", "1 ?\.0": written without the space, as a number or a brand is typed.
    } else {
      // `x?` and `(is )?` are taken in every other example; gaps and open endings stay at their least.
      let times = node.min;
      if (node.min === 0 && node.max === 1) times = (index + optionals.seen++) % 2 === 0 ? 1 : 0;
      for (let repeat = 0; repeat < times; repeat++) text += build([node.node], index, optionals, ending);
    }
  }
  return text;
}

/**
 * Example texts for one pattern source: every choice of every group in at least one of them. `ending` completes an
 * open stem ("sweat\w*" with "ing" is "sweating"); example `i` differs between endings only in its stems.
 */
export function patternSamples(source: string, ending = ''): string[] {
  const branches = new Parser(source).parse();
  const tree: Node[] = [{ kind: 'choice', branches }];
  const count = Math.max(2, widestChoice(tree));
  const samples: string[] = [];
  for (let index = 0; index < count; index++) samples.push(build(tree, index, { seen: 0 }, ending).replace(/\s+/g, ' ').trim());
  return samples;
}
