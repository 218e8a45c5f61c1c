/**
 * The public docs at /docs/… (no sign-in): navigation, search, the page, and the reader's own origin (and,
 * signed in, their newest active key's redacted form) filled into the code. Signed-out readers get sign-in
 * links; signed-in ones a way back to the dashboard.
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../lib/api';
import { navigate } from '../lib/router';
import type { Account, KeyList } from '../lib/types';
import { recentCreatedKey } from '../lib/created-key';
import { PAGES, pageBySlug, SECTIONS, type DocPage } from './content';
import { REFERENCE_PATH } from './paths';
import { MarkdownPage, PLACEHOLDER_KEY, type Fill } from './Markdown';
import { SearchBox } from './SearchBox';
import { DisclosureButton } from '../components/DisclosureButton';
import { SupportLink } from './Support';
import { WIDGETS } from './widgets';

function slugOf(path: string): string {
  return path.replace(/^\/docs\/?/, '').replace(/\/+$/, '') || 'quickstart';
}

function go(to: string) {
  return (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
}

/**
 * The key to show in code: the full key the reader created in this tab within the last few minutes
 * (lib/created-key.ts) while it is active, else their newest active key's redacted form, else a placeholder.
 */
function useFill(account: Account | undefined): Fill & { fresh: boolean } {
  const keys = useQuery({
    queryKey: ['keys'],
    queryFn: () => api<KeyList>('/api/keys'),
    enabled: Boolean(account),
  });
  const active = keys.data?.data.filter((k) => k.status === 'active') ?? [];
  const recent = recentCreatedKey();
  const created = recent && active.some((k) => k.id === recent.id) ? recent : undefined;
  const key = created?.key ?? active[0]?.redacted ?? PLACEHOLDER_KEY;
  return useMemo(() => ({ origin: window.location.origin, key, fresh: Boolean(created) }), [key, created]);
}

export default function DocsSite({ path, account }: { path: string; account?: Account }) {
  const slug = slugOf(path);
  const page = pageBySlug(slug);
  const fill = useFill(account);
  usePageTitle(page, path);
  return (
    <div className="docs">
      <DocsHeader account={account} />
      <div className="docs-body">
        <DocsNav slug={slug} path={path} />
        <main id="main" className="docs-main" tabIndex={-1}>
          {account && fill.key !== PLACEHOLDER_KEY && <KeyNotice fill={fill} />}
          {page ? (
            <MarkdownPage source={page.source} fill={fill} widget={(name) => WIDGETS[name]?.() ?? null} />
          ) : (
            <NotFound path={path} />
          )}
          <DocsFooter page={page} />
        </main>
      </div>
    </div>
  );
}

/** The tab's title names the page, and a `#heading` in the address scrolls to it once the page is drawn. */
function usePageTitle(page: DocPage | undefined, path: string) {
  useEffect(() => {
    document.title = `${page?.facts.title ?? 'Not found'} · Portal docs`;
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (id) document.getElementById(id)?.scrollIntoView();
  }, [page, path]);
}

function DocsHeader({ account }: { account?: Account }) {
  return (
    <header className="docs-top">
      <a href="/docs" className="brand" onClick={go('/docs')}>
        Portal <span className="muted">docs</span>
      </a>
      <span className="tabs-spacer" />
      <a href={REFERENCE_PATH} className="docs-top-reference">
        API reference
      </a>
      {account ? (
        <a className="btn btn-small" href="/keys" onClick={go('/keys')}>
          Dashboard
        </a>
      ) : (
        <>
          <a href="/sign-in" onClick={go('/sign-in')}>
            Sign in
          </a>
          <a className="btn btn-small btn-primary" href="/sign-up" onClick={go('/sign-up')}>
            Create account
          </a>
        </>
      )}
    </header>
  );
}

function DocsNav({ slug, path }: { slug: string; path: string }) {
  // Below 820 px the page list folds behind a "Pages" button, so the page itself comes first.
  const [pagesOpen, setPagesOpen] = useState(false);
  useEffect(() => setPagesOpen(false), [path]);
  return (
    <nav className="docs-nav" aria-label="Docs">
      <SearchBox />
      <DisclosureButton
        open={pagesOpen}
        setOpen={setPagesOpen}
        controls="docs-pages"
        className="docs-pages-btn"
      >
        Pages
      </DisclosureButton>
      <div id="docs-pages" className={pagesOpen ? 'docs-pages open' : 'docs-pages'}>
        {SECTIONS.map((section) => (
          <div key={section.title} className="docs-nav-section">
            <h2 className="docs-nav-title">{section.title}</h2>
            <ul>
              {section.slugs.map((s) => (
                <li key={s}>
                  <a
                    href={`/docs/${s}`}
                    onClick={go(`/docs/${s}`)}
                    aria-current={s === slug ? 'page' : undefined}
                    className={s === slug ? 'nav-link active' : 'nav-link'}
                  >
                    {pageBySlug(s)?.facts.title}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <div className="docs-nav-section">
          <ul>
            <li>
              <a href={REFERENCE_PATH} className="nav-link">
                API reference
              </a>
            </li>
          </ul>
        </div>
      </div>
    </nav>
  );
}

/** Says which key the code shows: the one just created (full), or the newest one (redacted, to replace). */
function KeyNotice({ fill }: { fill: Fill & { fresh: boolean } }) {
  return (
    <p className="notice small">
      {fill.fresh ? (
        <>Code on these pages uses your origin and the key you just created. Keep it secret.</>
      ) : (
        <>
          Code on these pages uses your origin and your newest key, <code>{fill.key}</code>: replace it with
          the full key you saved when you created it.
        </>
      )}
    </p>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <article className="doc">
      <h1>No docs page here</h1>
      <p>
        There is no page at <code>{path}</code>. Search above, start at the{' '}
        <a href="/docs/quickstart" onClick={go('/docs/quickstart')}>
          Quick start
        </a>
        , or <SupportLink>contact support</SupportLink>.
      </p>
    </article>
  );
}

/** Previous and next page in reading order; a missing page has neither. */
function DocsFooter({ page }: { page: DocPage | undefined }) {
  const index = page ? PAGES.indexOf(page) : -1;
  const prev = PAGES[index - 1];
  const next = index >= 0 ? PAGES[index + 1] : undefined;
  return (
    <footer className="docs-foot">
      {prev ? (
        <a href={`/docs/${prev.slug}`} onClick={go(`/docs/${prev.slug}`)}>
          ← {prev.facts.title}
        </a>
      ) : (
        <span />
      )}
      <span className="muted small">
        Stuck? <SupportLink>Contact support</SupportLink>
      </span>
      {next ? (
        <a href={`/docs/${next.slug}`} onClick={go(`/docs/${next.slug}`)}>
          {next.facts.title} →
        </a>
      ) : (
        <span />
      )}
    </footer>
  );
}
