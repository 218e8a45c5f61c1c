/**
 * The CLI's one printer: aligned tables for lists, aligned "field  value" lines for one record, and the API's
 * own JSON with --json. Every `portal admin` action prints through `emit`, so the two modes cannot drift
 * apart per command.
 *
 * @example
 *   emit(json, page, table(page.data, [['ID', (o) => o.id], ['NAME', (o) => o.name]]));
 */

/** A column: its heading and how to read a row's cell. */
export type Column<T> = readonly [heading: string, read: (row: T) => unknown];

/** One cell as text: `-` for nothing, yes/no for booleans, comma-joined arrays, JSON for objects. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length ? value.map(cellText).join(',') : '-';
  if (typeof value === 'object') return JSON.stringify(value);
  // Control characters (a name someone typed) would move the terminal's cursor: shown escaped.
  let out = '';
  for (const ch of String(value)) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

/** Rows under their headings, columns padded to the widest cell; `none` when there are no rows. */
export function table<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, none = '(none)'): string {
  if (!rows.length) return none;
  const cells = rows.map((r) => columns.map(([, read]) => cellText(read(r))));
  const widths = columns.map(([heading], i) =>
    Math.max(heading.length, ...cells.map((c) => (c[i] as string).length)),
  );
  const line = (parts: string[]) =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([heading]) => heading)), ...cells.map(line)].join('\n');
}

/** One record as "field  value" lines, the names padded to the longest. */
export function fields(pairs: ReadonlyArray<readonly [string, unknown]>): string {
  const width = Math.max(...pairs.map(([name]) => name.length));
  return pairs.map(([name, value]) => `${name.padEnd(width)}  ${cellText(value)}`).join('\n');
}

/** Prints the API's JSON (one line, for jq) with --json, else the readable text. */
export function emit(json: boolean, value: unknown, text: string, write: (s: string) => void = console.log) {
  write(json ? JSON.stringify(value) : text);
}
