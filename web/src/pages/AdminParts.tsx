/** Small pieces every console page shares: its heading, a status pill, a row action and a JSON view. */
import type { ReactNode } from 'react';
import { go } from '../lib/router';

export function AdminHead({
  title,
  children,
  actions,
}: {
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page-head">
      <div>
        <p className="eyebrow">Admin</p>
        <h1>{title}</h1>
        {children && <p className="muted">{children}</p>}
      </div>
      {actions && <div className="head-actions">{actions}</div>}
    </div>
  );
}

/** A state as a pill: active/enabled/closed green, draining/half-open amber, the rest grey or red. */
export function StatePill({ state }: { state: string }) {
  const tone =
    state === 'active' || state === 'enabled' || state === 'closed' || state === 'ok'
      ? ''
      : state === 'draining' || state === 'half_open' || state === 'spooling'
        ? ' status-expired'
        : state === 'open' || state === 'revoked'
          ? ' status-error'
          : ' status-disabled';
  return <span className={`status${tone}`}>{state.replace('_', '-')}</span>;
}

/** A row's action button, named for a screen reader with what it acts on ("Disable ci"). */
export function RowAction(props: { verb: string; what: string; onClick: () => void; danger?: boolean }) {
  return (
    <button
      type="button"
      className={props.danger ? 'btn btn-small btn-quiet btn-danger-text' : 'btn btn-small btn-quiet'}
      onClick={props.onClick}
      aria-label={`${props.verb} ${props.what}`}
    >
      {props.verb}
    </button>
  );
}

/** An in-app link. */
export function Link(props: { to: string; children: ReactNode; label?: string; className?: string }) {
  const { to, children, label, className } = props;
  return (
    <a href={to} onClick={go(to)} aria-label={label} className={className}>
      {children}
    </a>
  );
}

/** A stored JSON value, pretty-printed (null as a dash). */
export function Json({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return (
    <pre className="json" aria-label={label}>
      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
    </pre>
  );
}
