import type { ReactNode } from 'react';

/** A record's fields as a definition list: label, then value (a dash when there is none). */
export function Facts({ items, label }: { items: Array<[string, ReactNode]>; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {items.map(([name, value]) => (
        <div key={name} className="fact">
          <dt>{name}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}
