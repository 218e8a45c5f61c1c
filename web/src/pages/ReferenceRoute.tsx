/**
 * The /docs/reference route: the Redoc chunk, loaded only here. The page needs the reference CSP the server
 * sends with a direct load of /docs/reference (inline styles allowed), so in-app navigation to it from
 * another dashboard page becomes a full page load instead of rendering under the dashboard's stricter CSP.
 */
import { lazy, Suspense, useEffect } from 'react';
import { Loading } from '../components/States';

export const REFERENCE_PATH = '/docs/reference';

const Reference = lazy(() => import('./Reference'));
/** The path this document was loaded at: it decides which CSP the page runs under. */
const LOADED_AT = window.location.pathname;

export function ReferenceRoute() {
  const loadedHere = LOADED_AT === REFERENCE_PATH;
  useEffect(() => {
    document.title = 'API reference · Portal';
    if (!loadedHere) window.location.assign(REFERENCE_PATH);
  }, [loadedHere]);
  if (!loadedHere) return <Loading label="Opening the API reference…" />;
  return (
    <Suspense fallback={<Loading label="Loading the API reference…" />}>
      <Reference />
    </Suspense>
  );
}
