/**
 * /docs/reference — the API reference, rendered by Redoc from the server's own /openapi.json. Public (no
 * sign-in). Loaded as its own chunk (React.lazy in ReferenceRoute) so the dashboard's main bundle does not
 * carry Redoc. Redoc styles itself through styled-components' <style> elements, so this page is served with
 * a CSP that allows inline styles (src/product/static.ts); ReferenceRoute makes a full page load when it is
 * reached by in-app navigation, so the page always runs under that CSP and the dashboard never does.
 */
import { RedocStandalone } from 'redoc';

/** Height of the bar above Redoc; Redoc offsets its sticky sidebar and anchors by it. */
const BAR = 48;

/** Styles as React props (set through the CSSOM), so the page needs no stylesheet of its own. */
const bar = {
  position: 'fixed',
  inset: '0 0 auto 0',
  height: BAR,
  zIndex: 10,
  display: 'flex',
  alignItems: 'center',
  gap: '1.25rem',
  padding: '0 1.25rem',
  background: 'var(--panel)',
  borderBottom: '1px solid var(--line)',
} as const;

export default function Reference() {
  return (
    <div className="reference" style={{ paddingTop: BAR }}>
      <nav style={bar} aria-label="Portal">
        <a href="/" style={{ fontWeight: 700, color: 'var(--text)', textDecoration: 'none' }}>
          Portal
        </a>
        <span style={{ color: 'var(--muted)' }}>API reference</span>
        <span style={{ flex: 1 }} />
        <a href="/docs">Docs</a>
        <a href="/openapi.json">openapi.json</a>
        <a href="/keys">Dashboard</a>
      </nav>
      <RedocStandalone
        specUrl="/openapi.json"
        options={{
          scrollYOffset: BAR,
          hideDownloadButton: false,
          expandResponses: '200,201',
          jsonSampleExpandLevel: 3,
          sortTagsAlphabetically: false,
          pathInMiddlePanel: true,
          theme: {
            colors: { primary: { main: '#4f46e5' } },
            typography: {
              fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
              headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
              code: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
            },
          },
        }}
      />
    </div>
  );
}
