/**
 * /docs/reference — the API reference, rendered by Redoc from the server's own /openapi.json. Public (no
 * sign-in). Loaded as its own chunk (React.lazy in ReferenceRoute) so the dashboard's main bundle does not
 * carry Redoc. Redoc styles itself through styled-components' <style> elements, so this page is served with
 * a CSP that allows inline styles (src/product/static.ts); ReferenceRoute makes a full page load when it is
 * reached by in-app navigation, so the page always runs under that CSP and the dashboard never does.
 */
import { RedocStandalone } from 'redoc';

export default function Reference() {
  return (
    <div className="reference">
      <RedocStandalone
        specUrl="/openapi.json"
        options={{
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
