import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { processTerm, tokenize } from './text.js';

/** Where the articles live when no directory is given: content/education at the repository root. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../../content/education/', import.meta.url));

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
  title: z.string().min(3),
  topics: z.array(z.string().min(1)).min(1),
  readingLevel: z.string().regex(/^grade \d{1,2}$/, 'expected "grade N"'),
  source: z.string().min(10),
  reviewedBy: z.string().min(3),
  reviewedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  version: z.string().min(1),
});

export type ArticleMeta = z.infer<typeof frontMatterSchema>;

/** One education article: its front matter, body (markdown without front matter) and file name. */
export interface Article extends ArticleMeta {
  body: string;
  file: string;
}

/** One section of an article: the unit we search and show. */
export interface Passage {
  /** `${articleId}#${index}`: stable while the article's section order is. */
  id: string;
  articleId: string;
  title: string;
  heading: string;
  text: string;
}

export interface PassageHit extends Passage {
  score: number;
  /** Query terms (after normalisation) that matched this passage. */
  matchedTerms: string[];
}

export interface SearchOptions {
  limit?: number;
}

export interface Library {
  articles: Article[];
  passages: Passage[];
  /** BM25+ ranked passages, best first; ties broken by passage id so results are deterministic. */
  search(question: string, options?: SearchOptions): PassageHit[];
}

/**
 * Reads every `*.md` in `dir`, validates its front matter and builds the search index.
 * Throws, naming the file, on the first invalid article: content errors should stop a deploy, not reach a patient.
 */
export function loadLibrary(dir: string = DEFAULT_CONTENT_DIR): Library {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  const articles = files.map((file) => parseArticleFile(path.join(dir, file)));
  assertUniqueIds(articles);
  const passages = articles.flatMap(splitPassages);
  const index = buildIndex(passages, articles);
  const byId = new Map(passages.map((passage) => [passage.id, passage]));
  return {
    articles,
    passages,
    search: (question, options = {}) => searchIndex(index, byId, question, options.limit ?? 5),
  };
}

/** Parses one article file; exported for tests and tooling. */
export function parseArticleFile(file: string): Article {
  const raw = fs.readFileSync(file, 'utf8');
  try {
    const { fields, body } = splitFrontMatter(raw);
    const meta = frontMatterSchema.parse(fields);
    if (body.trim().length === 0) throw new Error('the article has no body');
    return { ...meta, body, file: path.basename(file) };
  } catch (cause) {
    const reason = cause instanceof z.ZodError ? z.prettifyError(cause) : (cause as Error).message;
    throw new Error(`invalid education article ${path.basename(file)}: ${reason}`, { cause });
  }
}

/**
 * Our own small front matter reader: `key: value` lines, `key: [a, b]` inline lists and `- item` block lists.
 * Enough for the fields we use, and no YAML dependency.
 */
export function splitFrontMatter(raw: string): { fields: Record<string, string | string[]>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(raw);
  if (!match) throw new Error('missing front matter (expected it between two "---" lines at the top)');
  const fields: Record<string, string | string[]> = {};
  let listKey: string | null = null;
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (fields[listKey] as string[]).push(unquote(item[1] ?? ''));
      continue;
    }
    const pair = /^([A-Za-z][\w]*):\s*(.*)$/.exec(line);
    if (!pair) throw new Error(`cannot read front matter line "${line}"`);
    const key = pair[1] ?? '';
    const value = (pair[2] ?? '').trim();
    if (value === '') {
      fields[key] = [];
      listKey = key;
    } else if (value.startsWith('[') && value.endsWith(']')) {
      fields[key] = value.slice(1, -1).split(',').map(unquote).filter((entry) => entry.length > 0);
      listKey = null;
    } else {
      fields[key] = unquote(value);
      listKey = null;
    }
  }
  return { fields, body: match[2] ?? '' };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function assertUniqueIds(articles: Article[]): void {
  const seen = new Map<string, string>();
  for (const article of articles) {
    const other = seen.get(article.id);
    if (other) throw new Error(`invalid education article ${article.file}: id "${article.id}" is also used by ${other}`);
    seen.set(article.id, article.file);
  }
}

/** One passage per `## ` section; text before the first heading becomes an "Overview" passage. */
function splitPassages(article: Article): Passage[] {
  const sections: { heading: string; lines: string[] }[] = [{ heading: 'Overview', lines: [] }];
  for (const line of article.body.split(/\r?\n/)) {
    const heading = /^##\s+(.+)$/.exec(line);
    if (heading) sections.push({ heading: (heading[1] ?? '').trim(), lines: [] });
    else if (!/^#\s/.test(line)) sections.at(-1)?.lines.push(line);
  }
  return sections
    .map((section) => ({ heading: section.heading, text: section.lines.join('\n').trim() }))
    .filter((section) => section.text.length > 0)
    .map((section, index) => ({ id: `${article.id}#${index}`, articleId: article.id, title: article.title, ...section }));
}

interface IndexedPassage extends Passage {
  topics: string;
}

function buildIndex(passages: Passage[], articles: Article[]): MiniSearch<IndexedPassage> {
  const topics = new Map(articles.map((article) => [article.id, article.topics.join(' ')]));
  const index = new MiniSearch<IndexedPassage>({
    fields: ['title', 'heading', 'text', 'topics'],
    storeFields: [],
    tokenize,
    processTerm,
  });
  index.addAll(passages.map((passage) => ({ ...passage, topics: topics.get(passage.articleId) ?? '' })));
  return index;
}

function searchIndex(index: MiniSearch<IndexedPassage>, byId: Map<string, Passage>, question: string, limit: number): PassageHit[] {
  const results = index.search(question, {
    boost: { title: 2, topics: 2, heading: 1.5, text: 1 },
    combineWith: 'OR',
    // Prefix and typo tolerance only on longer words: "car" must not find "care", "fevr" should find "fever".
    prefix: (term) => term.length >= 5,
    fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    maxFuzzy: 2,
  });
  return results
    .map((result) => {
      const passage = byId.get(String(result.id));
      if (!passage) throw new Error(`search returned unknown passage ${String(result.id)}`);
      return { ...passage, score: result.score, matchedTerms: [...result.queryTerms].sort() };
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit);
}
