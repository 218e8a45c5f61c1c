/** Display helpers: numbers, dates and relative times in the reader's locale. */
const int = new Intl.NumberFormat();

export const formatInt = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : int.format(n);

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function relativeTime(iso: string | null, now = Date.now()): string {
  if (!iso) return 'Never';
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}

/** Dollars; amounts under a cent keep two significant digits ($0.000028), so small usage never reads $0.00. */
export const formatUsd = (n: number) =>
  n !== 0 && Math.abs(n) < 0.01
    ? n.toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 })
    : n.toLocaleString(undefined, {
        style: 'currency',
        currency: 'USD',
        minimumFractionDigits: 2,
        maximumFractionDigits: 4,
      });

export const microsToUsd = (micros: number) => formatUsd(micros / 1_000_000);
