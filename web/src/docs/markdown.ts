/**
 * The docs pages' Markdown, as plain functions the dashboard and the docs tests share (no DOM, no Vite):
 * `@include examples/FILE` lines become fenced code blocks of that file (one source for the examples that
 * tests run and the snippets readers copy), `@widget NAME` lines are split out for live content (the model
 * catalog, plans, support), headings get stable ids, and each page yields its links and code blocks.
 */
import { Lexer, type Token, type Tokens } from 'marked';

export type Segment = { kind: 'markdown'; text: string } | { kind: 'widget'; name: string };

const LANGS: Record<string, string> = { sh: 'sh', mjs: 'js', js: 'js', py: 'python', json: 'json' };

/** Replaces each `@include path` line with a fenced block of `files[path]`; an unknown path throws. */
export function expandIncludes(source: string, files: Record<string, string>): string {
  return source.replace(/^@include (\S+)[ \t]*$/gm, (_line, path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`@include ${path}: no such example file`);
    const lang = LANGS[path.split('.').pop() ?? ''] ?? '';
    return '```' + lang + '\n' + text.replace(/\n+$/, '') + '\n```';
  });
}

/** Splits a page at its `@widget name` lines. */
export function segmentsOf(source: string): Segment[] {
  const out: Segment[] = [];
  const parts = source.split(/^@widget ([a-z-]+)[ \t]*$/m);
  parts.forEach((part, i) => {
    if (i % 2 === 1) out.push({ kind: 'widget', name: part });
    else if (part.trim()) out.push({ kind: 'markdown', text: part });
  });
  return out;
}

/** GitHub-style heading ids: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[`*~]/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Every token of a page, nested ones included (list items, table cells, blockquotes). */
export function walkTokens(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const t = token as Token & {
      tokens?: Token[];
      items?: Tokens.ListItem[];
      header?: Tokens.TableCell[];
      rows?: Tokens.TableCell[][];
    };
    if (t.tokens) walkTokens(t.tokens, visit);
    if (t.items) walkTokens(t.items, visit);
    if (t.header) for (const cell of t.header) walkTokens(cell.tokens, visit);
    if (t.rows) for (const row of t.rows) for (const cell of row) walkTokens(cell.tokens, visit);
  }
}

/** Markdown inline text without its markup: code ticks, emphasis, links (their text is kept). */
const plainText = (md: string) =>
  md
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim();

export interface PageFacts {
  title: string;
  headings: Array<{ depth: number; text: string; id: string }>;
  links: string[];
  code: Array<{ lang: string; text: string }>;
  /** Inline code in the first column of a table: the terms the page defines (error codes, headers). */
  defines: string[];
  /** Each defined term's table row, as plain text ("insufficient_quota · 429 · …"), for search snippets. */
  definitions: Record<string, string>;
  /** The page as plain words, for search. */
  text: string;
}

/** What a page holds, read from its Markdown (after includes). */
export function factsOf(source: string): PageFacts {
  const tokens = new Lexer().lex(
    segmentsOf(source)
      .map((s) => (s.kind === 'markdown' ? s.text : ''))
      .join('\n'),
  );
  const facts: PageFacts = {
    title: '',
    headings: [],
    links: [],
    code: [],
    defines: [],
    definitions: {},
    text: '',
  };
  const words: string[] = [];
  walkTokens(tokens, (token) => {
    if (token.type === 'heading') {
      const h = token as Tokens.Heading;
      if (h.depth === 1 && !facts.title) facts.title = h.text;
      facts.headings.push({ depth: h.depth, text: h.text, id: slugify(h.text) });
    } else if (token.type === 'link') facts.links.push((token as Tokens.Link).href);
    else if (token.type === 'code')
      facts.code.push({ lang: (token as Tokens.Code).lang ?? '', text: (token as Tokens.Code).text });
    else if (token.type === 'table')
      for (const row of (token as Tokens.Table).rows) {
        const first = row[0]?.tokens.find((t) => t.type === 'codespan') as Tokens.Codespan | undefined;
        if (!first) continue;
        facts.defines.push(first.text);
        facts.definitions[first.text] = row.map((cell) => plainText(cell.text)).join(' · ');
      }
    if (token.type === 'text' || token.type === 'codespan') words.push((token as Tokens.Text).text);
  });
  facts.text = words.join(' ');
  return facts;
}
