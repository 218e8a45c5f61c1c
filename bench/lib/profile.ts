/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per function (summed over every node of the
 * same function), and self time per origin (our src/ folders, each npm package, node internals, GC), so a
 * missed benchmark target can say where the time goes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; where: string; ms: number; share: number }[];
  origins: { origin: string; ms: number; share: number }[];
}

export function originOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/dist\/([^/]+\/(?:[^/]+\/)?)/.exec(url) ?? /\/src\/([^/]+\/(?:[^/]+\/)?)/.exec(url);
  if (own) return `src/${own[1]!.replace(/[^/]+\.js\/?$/, '')}`;
  return url.replace(/^file:\/\//, '');
}

/** `lastMs`: count only the samples of the profile's last lastMs (the load, not the start-up). */
export function summariseProfile(file: string, top = 25, lastMs = Infinity): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const totalUs = profile.timeDeltas.reduce((a, b) => a + b, 0);
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (totalUs - at <= lastMs * 1_000) self.set(id, (self.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const origins = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${frame.lineNumber + 1}`
      : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const origin = originOf(frame.url, name);
    origins.set(origin, (origins.get(origin) ?? 0) + us);
    total += us;
  }
  const share = (us: number) => us / total;
  return {
    totalMs: total / 1_000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1_000, share: share(f.us) })),
    origins: [...origins.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([origin, us]) => ({ origin, ms: us / 1_000, share: share(us) })),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `CPU profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled`,
    '',
    'Top self time by origin:',
  ];
  for (const o of summary.origins) lines.push(`  ${pct(o.share).padStart(6)}  ${o.origin}`);
  lines.push('', 'Top self time by function:');
  for (const f of summary.functions) lines.push(`  ${pct(f.share).padStart(6)}  ${f.name}  ${f.where}`);
  return lines.join('\n');
}

// `npx tsx bench/lib/profile.ts FILE.cpuprofile [top] [lastMs]` prints the summary of an existing profile.
if (process.argv[1] && import.meta.filename === process.argv[1])
  console.log(
    formatProfile(
      summariseProfile(process.argv[2]!, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? Infinity)),
    ),
  );
