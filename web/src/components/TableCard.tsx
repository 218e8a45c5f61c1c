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

/** A column heading; numeric columns are right-aligned, like their cells (`className="num"`). */
export interface Column {
  label: string;
  num?: boolean;
}

/** A dashboard card holding one such table under its title, its headings from `columns`. */
export function TableCard({
  title,
  columns,
  children,
}: {
  title: string;
  columns: Column[];
  children: ReactNode;
}) {
  const head = columns.map((c) => (
    <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
      {c.label}
    </th>
  ));
  return (
    <section className="card">
      <h2>{title}</h2>
      <ScrollTable head={head}>{children}</ScrollTable>
    </section>
  );
}
