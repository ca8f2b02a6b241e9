/**
 * Turns library passages into chat-sized replies: lists stay lists ("- " lines, which web chat renders as
 * markdown and SMS shows as they are), and the source line names each article once, by title.
 */

/** The longest reply line we send: a few SMS segments, readable on a small screen. */
export const MAX_REPLY_CHARS = 600;

/**
 * A passage's markdown as reply text: each list item on its own line ("- item", "1. step"), prose joined into
 * paragraphs. Past `max` characters it keeps whole lines (a list never ends mid-item) and marks what it left out.
 */
export function chatText(markdown: string, max = MAX_REPLY_CHARS): string {
  let text = '';
  for (const line of markdownLines(markdown)) {
    const joined = text === '' ? line : `${text}${separator(line)}${line}`;
    if (joined.length > max) {
      if (text === '') return shorten(line, max);
      return text.length + 2 <= max ? `${text}\n…` : text;
    }
    text = joined;
  }
  return text;
}

const isListItem = (line: string) => /^(- |\d+\. )/.test(line);

/**
 * Web chat renders markdown without line breaks: a paragraph needs a blank line before it (or it would join the
 * previous paragraph, or continue the previous list item); a list item needs only a new line. SMS shows both.
 */
function separator(next: string): string {
  return isListItem(next) ? '\n' : '\n\n';
}

/** A section with its heading on the first line ("When to call your care team"), for sections shown after the answer. */
export function sectionText(heading: string, markdown: string, max = MAX_REPLY_CHARS): string {
  return chatText(`${heading}\n\n${markdown}`, max);
}

function markdownLines(markdown: string): string[] {
  const lines: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) lines.push(paragraph.join(' '));
    paragraph = [];
  };
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, ' ').trim();
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    const step = /^(\d+)[.)]\s+(.*)$/.exec(line);
    if (bullet || step || line === '') flush();
    if (bullet) lines.push(`- ${bullet[1] ?? ''}`);
    else if (step) lines.push(`${step[1] ?? ''}. ${step[2] ?? ''}`);
    else if (line !== '') paragraph.push(line);
  }
  flush();
  return lines;
}

/** One line of plain text cut at a sentence end before `max` characters, so an SMS never ends mid-sentence. */
export function shorten(text: string, max = MAX_REPLY_CHARS): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, max - 1)}…`;
}

/** What the source line needs to know about an article. */
export interface SourceArticle {
  title: string;
  reviewedOn: string;
  reviewedBy: string;
}

/**
 * `Source: CareLoop library, "Caring for your wound after surgery" (reviewed 2026-05-01).` Each title once, one
 * date when they share it. An article still waiting for a clinician says "updated", not "reviewed": the line
 * must not claim a review that has not happened.
 */
export function sourceLine(articles: SourceArticle[]): string {
  const byTitle = new Map<string, SourceArticle>();
  for (const article of articles) if (!byTitle.has(article.title)) byTitle.set(article.title, article);
  const unique = [...byTitle.values()];
  const dates = new Set(unique.map(dated));
  const titles = unique.map((article) => (dates.size === 1 ? `"${article.title}"` : `"${article.title}" (${dated(article)})`));
  const shared = dates.size === 1 ? ` (${[...dates][0] ?? ''})` : '';
  return `Source: CareLoop library, ${joinAnd(titles)}${shared}.`;
}

function dated(article: SourceArticle): string {
  return `${/pending/i.test(article.reviewedBy) ? 'updated' : 'reviewed'} ${article.reviewedOn}`;
}

function joinAnd(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
