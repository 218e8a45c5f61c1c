import { go } from '../lib/router';

/** The dashboard's 404: a path no page answers (and, for everyone but an operator, every /admin page). */
export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="empty not-found">
      <h1>Page not found</h1>
      <p className="muted">
        There is no page at <code>{path}</code>.
      </p>
      <a className="btn btn-primary" href="/keys" onClick={go('/keys')}>
        Go to API Keys
      </a>
    </div>
  );
}
