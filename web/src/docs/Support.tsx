/**
 * The support entry point (`support.url` / `support.email` in the config): a link wherever the dashboard
 * tells someone to contact support, and plain words when the operator configured neither.
 */
import { useDocsFacts } from './facts';

export function SupportLink({ children = 'Contact support' }: { children?: string }) {
  const support = useDocsFacts().data?.support;
  const href = support?.url ?? (support?.email ? `mailto:${support.email}` : null);
  if (!href) return <>{children}</>;
  return (
    <a href={href} target={support?.url ? '_blank' : undefined} rel="noreferrer">
      {children}
    </a>
  );
}

/** The Support page's live block: every configured channel, or what to do when none is. */
export function SupportChannels() {
  const facts = useDocsFacts();
  const support = facts.data?.support;
  if (facts.isLoading) return <p className="muted">Loading the contact details…</p>;
  if (!support?.url && !support?.email)
    return (
      <p className="notice">
        This Portal has no support contact configured. Ask the team that runs it (operators: set{' '}
        <code>support.url</code> or <code>support.email</code>).
      </p>
    );
  return (
    <ul className="support-channels">
      {support.url && (
        <li>
          Help centre:{' '}
          <a href={support.url} target="_blank" rel="noreferrer">
            {support.url}
          </a>
        </li>
      )}
      {support.email && (
        <li>
          Email: <a href={`mailto:${support.email}`}>{support.email}</a>
        </li>
      )}
    </ul>
  );
}
