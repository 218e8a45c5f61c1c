/**
 * One load measurement with autocannon: fixed connections and duration, every 2xx latency kept at full
 * precision (autocannon's own histogram rounds to whole milliseconds, too coarse for a 1-connection p50),
 * and the median of one response header when asked (Portal's x-portal-overhead-ms).
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** A response header whose numeric values are collected (lower case). */
  sampleHeader?: string;
  /** CPU time of the server under test (ms so far), to report CPU per request. */
  serverCpuMs?: () => number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  headerMedian: number | null;
  /** Server CPU time per completed request, in microseconds (NaN when not measured). */
  cpuUsPerRequest: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

type Client = {
  on(event: 'response', fn: (status: number, bytes: number, ms: number) => void): void;
  on(event: 'headers', fn: (h: { statusCode: number; headers: (string | Buffer)[] }) => void): void;
};

export async function measure(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const sampled: number[] = [];
  const header = spec.sampleHeader;
  const cpuBefore = spec.serverCpuMs?.() ?? NaN;
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    setupClient: (client: Client) => {
      client.on('response', (status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms);
      });
      if (header)
        client.on('headers', ({ headers }) => {
          for (let i = 0; i < headers.length; i += 2)
            if (String(headers[i]).toLowerCase() === header) sampled.push(Number(String(headers[i + 1])));
        });
    },
  } as unknown as autocannon.Options);
  const cpuMs = (spec.serverCpuMs?.() ?? NaN) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const failures = result.non2xx + result.errors + result.timeouts;
  return {
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: result.requests.total,
    failures,
    headerMedian: sampled.length ? median(sampled) : null,
    cpuUsPerRequest: (cpuMs * 1_000) / Math.max(1, result.requests.total),
  };
}

/** Sends one request and throws unless it answers 2xx (a target that cannot serve is not measured). */
export async function checkOnce(spec: Pick<LoadSpec, 'url' | 'body' | 'headers'>): Promise<string> {
  const res = await fetch(spec.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${spec.url} answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}
