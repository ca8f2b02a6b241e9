import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { splitFrontMatter } from './front-matter.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import { processTerm, tokenize } from './text.js';

/** Re-exported for tooling and tests that read article files. */
export { splitFrontMatter } from './front-matter.js';

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
  /** Subject ids (content/education/subjects) the article covers beyond those its title, topics and headings name. */
  about: z.array(z.string().min(1)).optional(),
  /** The heading of the section to show, with "when to call", when the question reports a problem now. */
  doNow: z.string().min(3).optional(),
});

/** An article's front matter, validated. */
export type ArticleMeta = z.infer<typeof frontMatterSchema>;

/** One education article: its front matter, body (markdown without front matter) and file name. */
export interface Article extends ArticleMeta {
  body: string;
  file: string;
  /** Subject ids the article is about: named by its title, topics or headings, or listed in `about`. */
  subjects: string[];
}

/** One section of an article: the unit we search and show. */
export interface Passage {
  /** `${articleId}#${index}`: stable while the article's section order is. */
  id: string;
  articleId: string;
  title: string;
  heading: string;
  text: string;
  /** Subject ids the section's own heading and text name. */
  subjects: string[];
}

/** A passage found by a search, with its score. */
export interface PassageHit extends Passage {
  score: number;
  /** Query terms (after normalisation) that matched this passage. */
  matchedTerms: string[];
}

/** How many hits, and optionally one article's sections only. */
export interface SearchOptions {
  limit?: number;
  /** Only this article's sections, scored on their own heading and text (not the title and topics they share). */
  withinArticle?: string;
}

/** The loaded articles, their sections, their vocabulary and the search index. */
export interface Library {
  /** The subject vocabulary of the articles' language. */
  lexicon: Lexicon;
  articles: Article[];
  passages: Passage[];
  /** BM25+ ranked passages, best first; ties broken by passage id so results are deterministic. */
  search(question: string, options?: SearchOptions): PassageHit[];
}

/** Options for {@link loadLibrary}. */
export interface LibraryOptions {
  /** Picks `subjects/<language>.json`, from `dir` when it has one, else from the default content. Default "en". */
  language?: string;
}

/**
 * Reads every `*.md` in `dir`, validates its front matter and builds the search index.
 * Throws, naming the file, on the first invalid article: content errors should stop a deploy, not reach a patient.
 */
export function loadLibrary(dir: string = DEFAULT_CONTENT_DIR, options: LibraryOptions = {}): Library {
  const lexicon = loadLexicon(lexiconFile(dir, options.language ?? 'en'));
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  const articles = files.map((file) => withSubjects(parseArticleFile(path.join(dir, file)), lexicon));
  assertUniqueIds(articles);
  const passages = articles.flatMap((article) => splitPassages(article, lexicon));
  for (const article of articles) assertDoNowExists(article, passages);
  const index = buildIndex(passages, articles);
  const byId = new Map(passages.map((passage) => [passage.id, passage]));
  return {
    lexicon,
    articles,
    passages,
    search: (question, options = {}) => searchIndex(index, byId, question, options),
  };
}

function lexiconFile(dir: string, language: string): string {
  const own = path.join(dir, 'subjects', `${language}.json`);
  return fs.existsSync(own) ? own : path.join(DEFAULT_CONTENT_DIR, 'subjects', `${language}.json`);
}

/** Parses one article file (subjects not yet read); exported for tests and tooling. */
export function parseArticleFile(file: string): Omit<Article, 'subjects'> {
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

/** The article's subjects: what its title, topics and headings name, plus its `about` ids (checked to exist). */
function withSubjects(article: Omit<Article, 'subjects'>, lexicon: Lexicon): Article {
  const unknown = (article.about ?? []).filter((id) => !lexicon.kinds.has(id));
  if (unknown.length > 0) throw new Error(`invalid education article ${article.file}: about names unknown subjects ${unknown.join(', ')}`);
  const headings = article.body.split(/\r?\n/).filter((line) => /^##\s/.test(line));
  // Each piece on its own, so the end of one topic and the start of the next cannot make a phrase.
  const named = [article.title, ...article.topics, ...headings].flatMap((text) => lexicon.read(text).subjects.map((mention) => mention.id));
  return { ...article, subjects: [...new Set([...named, ...(article.about ?? [])])] };
}

function assertDoNowExists(article: Article, passages: Passage[]): void {
  if (article.doNow && !passages.some((passage) => passage.articleId === article.id && passage.heading === article.doNow)) {
    throw new Error(`invalid education article ${article.file}: doNow names no section "${article.doNow}"`);
  }
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
function splitPassages(article: Article, lexicon: Lexicon): Passage[] {
  const sections: { heading: string; lines: string[] }[] = [{ heading: 'Overview', lines: [] }];
  for (const line of article.body.split(/\r?\n/)) {
    const heading = /^##\s+(.+)$/.exec(line);
    if (heading) sections.push({ heading: (heading[1] ?? '').trim(), lines: [] });
    else if (!/^#\s/.test(line)) sections.at(-1)?.lines.push(line);
  }
  return sections
    .map((section) => ({ heading: section.heading, text: section.lines.join('\n').trim() }))
    .filter((section) => section.text.length > 0)
    .map((section, index) => ({
      id: `${article.id}#${index}`,
      articleId: article.id,
      title: article.title,
      ...section,
      subjects: lexicon.read(`${section.heading}. ${section.text}`).subjects.map((mention) => mention.id),
    }));
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

function searchIndex(index: MiniSearch<IndexedPassage>, byId: Map<string, Passage>, question: string, options: SearchOptions): PassageHit[] {
  const { withinArticle } = options;
  const results = index.search(question, {
    boost: { title: 2, topics: 2, heading: 1.5, text: 1 },
    ...(withinArticle ? { fields: ['heading', 'text'], filter: (result) => byId.get(String(result.id))?.articleId === withinArticle } : {}),
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
    .slice(0, options.limit ?? 5);
}
