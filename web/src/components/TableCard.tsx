import type { ReactNode } from 'react';

interface TableParts {
  head: ReactNode;
  children: ReactNode;
}

/** A table that scrolls sideways on a narrow screen: its header cells, then its rows. */
export function ScrollTable({
  className = 'table',
  label,
  head,
  children,
}: TableParts & { className?: string; label?: string }) {
  return (
    <div className="table-wrap">
      <table className={className} aria-label={label}>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A dashboard card holding one such table under its title. */
export function TableCard({ title, head, children }: TableParts & { title: string }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <ScrollTable head={head}>{children}</ScrollTable>
    </section>
  );
}
