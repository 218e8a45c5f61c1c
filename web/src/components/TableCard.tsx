import type { ReactNode } from 'react';

/** A dashboard card holding one table that scrolls sideways on a narrow screen: header cells, then rows. */
export function TableCard({
  title,
  head,
  children,
}: {
  title: string;
  head: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>{head}</tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </section>
  );
}
