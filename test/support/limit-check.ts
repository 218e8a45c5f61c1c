/**
 * Checks a client-side log of admissions against a window limit. The server admits a request somewhere in
 * [sent, received]; if that whole interval lies inside a window, the admission does too. So: for every
 * window of length W starting at some request's send time, the admitted requests whose interval lies
 * entirely inside it must be ≤ the limit. Over-admission anywhere makes this fail.
 */
export interface Sample {
  sent: number;
  received: number;
  status: number;
}

export function maxAdmittedInAnyWindow(samples: Sample[], windowMs: number): number {
  const admitted = samples.filter((s) => s.status === 200).sort((a, b) => a.sent - b.sent);
  let max = 0;
  for (const start of admitted) {
    const end = start.sent + windowMs;
    let n = 0;
    for (const s of admitted) if (s.sent >= start.sent && s.received < end) n++;
    max = Math.max(max, n);
  }
  return max;
}

/** Fires requests at random intervals from `workers` concurrent loops for `durationMs`. */
export async function randomLoad(
  send: (i: number) => Promise<number>,
  options: { workers: number; durationMs: number; maxGapMs: number; seed?: number },
): Promise<Sample[]> {
  let seed = options.seed ?? 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const samples: Sample[] = [];
  const stopAt = performance.now() + options.durationMs;
  let i = 0;
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (performance.now() < stopAt) {
        await new Promise((r) => setTimeout(r, random() * options.maxGapMs));
        const sent = performance.now();
        const status = await send(i++);
        samples.push({ sent, received: performance.now(), status });
      }
    }),
  );
  return samples;
}
