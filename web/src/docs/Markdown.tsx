/**
 * Renders one docs page: Markdown through `marked` (our own files, so the HTML is trusted; the only values
 * put into it — the reader's origin and key placeholder — are HTML-escaped), code blocks as React elements
 * with a copy button, and `@widget` lines as live components. Internal links navigate without a reload.
 */
import { Fragment, useMemo, type MouseEvent, type ReactNode } from 'react';
import { Marked, type Token, type Tokens } from 'marked';
import { CopyButton } from '../components/CopyButton';
import { navigate } from '../lib/router';
import { segmentsOf, slugify } from './markdown';
import { REFERENCE_PATH } from './paths';

/** What the reader's copy of the code says instead of the pages' defaults. */
export interface Fill {
  origin: string;
  key: string;
}

const DEFAULT_ORIGIN = 'http://localhost:8080';
/** The key placeholder the pages are written with. */
export const PLACEHOLDER_KEY = 'ptl_YOUR_KEY';
const DEFAULT_KEY = PLACEHOLDER_KEY;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function fillText(text: string, fill: Fill): string {
  return text.split(DEFAULT_ORIGIN).join(fill.origin).split(DEFAULT_KEY).join(fill.key);
}

const marked = new Marked({
  gfm: true,
  renderer: {
    heading({ tokens, depth, text }) {
      return `<h${depth} id="${slugify(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

const LABELS: Record<string, string> = { sh: 'shell', js: 'JavaScript', python: 'Python', json: 'JSON' };

function CodeBlock({ lang, text }: { lang: string; text: string }) {
  return (
    <div className="doc-code">
      <div className="doc-code-head">
        <span className="muted small">{LABELS[lang] ?? lang}</span>
        <CopyButton text={text} label="Copy" />
      </div>
      <pre className="code" tabIndex={0}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

function MarkdownBlock({ text, fill }: { text: string; fill: Fill }) {
  const parts = useMemo(() => {
    const tokens = marked.lexer(text);
    const out: ReactNode[] = [];
    let group: Token[] = [];
    const flush = () => {
      if (!group.length) return;
      const html = marked.parser(Object.assign(group, { links: tokens.links }));
      const safe = html
        .split(DEFAULT_ORIGIN)
        .join(escapeHtml(fill.origin))
        .split(DEFAULT_KEY)
        .join(escapeHtml(fill.key));
      out.push(<div key={out.length} dangerouslySetInnerHTML={{ __html: safe }} />);
      group = [];
    };
    for (const token of tokens) {
      if (token.type !== 'code') {
        group.push(token);
        continue;
      }
      flush();
      const code = token as Tokens.Code;
      out.push(<CodeBlock key={out.length} lang={code.lang ?? ''} text={fillText(code.text, fill)} />);
    }
    flush();
    return out;
  }, [text, fill]);
  return <>{parts}</>;
}

/** Same-origin /docs links move within the app; the API reference and everything else load normally. */
function followLink(e: MouseEvent<HTMLElement>) {
  const a = (e.target as HTMLElement).closest('a');
  const href = a?.getAttribute('href');
  if (!a || !href || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  if (!href.startsWith('/docs') || href.startsWith(REFERENCE_PATH)) return;
  e.preventDefault();
  navigate(href);
}

export function MarkdownPage({
  source,
  fill,
  widget,
}: {
  source: string;
  fill: Fill;
  widget: (name: string) => ReactNode;
}) {
  const segments = useMemo(() => segmentsOf(source), [source]);
  return (
    // Clicks bubble up from the rendered links; the links themselves are ordinary <a href> elements.
    <article className="doc" onClick={followLink}>
      {segments.map((s, i) => (
        <Fragment key={i}>
          {s.kind === 'widget' ? widget(s.name) : <MarkdownBlock text={s.text} fill={fill} />}
        </Fragment>
      ))}
    </article>
  );
}
