/**
 * Instruments for the hot path. prom-client's `inc(labels)` / `observe(labels, v)` hash the label object on
 * every call (and its `labels()` children do the same); these resolve a label set once to a slot of plain
 * numbers, a request only adds to its slot, and the exposition is built when Prometheus scrapes. Callers keep
 * the slots they resolved (a Map per label, filled on first use), so the label sets stay bounded by whatever
 * bounds those keys — never by client input.
 *
 * @example
 *   const requests = slotCounter(registry, 'portal_x_total', 'Things', ['model']);
 *   const slot = requests.slot({ model: 'qwen' }); // once
 *   slot.value++;                                   // per request
 */
import type client from 'prom-client';

export interface CounterSlot {
  value: number;
}

export interface HistogramSlot {
  /** Observations per bucket (not cumulative); one more entry than there are bounds, for +Inf. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

type Labels = Record<string, string>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

abstract class SlotMetric<S> {
  readonly aggregator = 'sum';
  protected readonly slots: Array<{ labels: Labels; slot: S }> = [];
  private readonly byKey = new Map<string, S>();
  abstract readonly type: 'counter' | 'histogram';
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The slot of this label set, made on first use. Resolve each set once and keep the slot: this call
   * builds a key string (several limiters sharing one registry share their slots through it). */
  slot(labels: Labels): S {
    const id = this.labelNames.map((n) => {
      const v = labels[n];
      if (v === undefined) throw new Error(`${this.name}: label ${n} is missing`);
      return v;
    });
    const key = JSON.stringify(id);
    let found = this.byKey.get(key);
    if (!found) {
      found = this.emptySlot();
      this.byKey.set(key, found);
      this.slots.push({ labels, slot: found });
    }
    return found;
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.values(),
    };
  }

  protected abstract emptySlot(): S;
  protected abstract values(): MetricValue[];
  abstract reset(): void;
}

export class SlotCounter extends SlotMetric<CounterSlot> {
  readonly type = 'counter';
  protected emptySlot(): CounterSlot {
    return { value: 0 };
  }
  protected values(): MetricValue[] {
    return this.slots.map(({ labels, slot }) => ({ labels, value: slot.value }));
  }
  reset() {
    for (const s of this.slots) s.slot.value = 0;
  }
}

export class SlotHistogram extends SlotMetric<HistogramSlot> {
  readonly type = 'histogram';
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  /** Adds one observation: a short scan of the bounds, no allocation. */
  observe(slot: HistogramSlot, value: number) {
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    slot.counts[i] = (slot.counts[i] as number) + 1;
    slot.sum += value;
    slot.count++;
  }

  protected emptySlot(): HistogramSlot {
    return { counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
  }
  protected values(): MetricValue[] {
    const out: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, slot } of this.slots) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += slot.counts[i] as number;
        out.push({ metricName: bucket, labels: { ...labels, le: String(le) }, value: cumulative });
      });
      out.push({ metricName: bucket, labels: { ...labels, le: '+Inf' }, value: slot.count });
      out.push({ metricName: `${this.name}_sum`, labels, value: slot.sum });
      out.push({ metricName: `${this.name}_count`, labels, value: slot.count });
    }
    return out;
  }
  reset() {
    for (const { slot } of this.slots) {
      slot.counts.fill(0);
      slot.sum = 0;
      slot.count = 0;
    }
  }
}

/** The counter of this name on the registry, registered on first use (several services may share one). */
export function slotCounter(
  registry: client.Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
): SlotCounter {
  const found = registry.getSingleMetric(name) as unknown;
  if (found instanceof SlotCounter) return found;
  const made = new SlotCounter(name, help, labelNames);
  registry.registerMetric(made as unknown as client.Metric);
  return made;
}

/** The histogram of this name on the registry, registered on first use. */
export function slotHistogram(
  registry: client.Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  bounds: readonly number[],
): SlotHistogram {
  const found = registry.getSingleMetric(name) as unknown;
  if (found instanceof SlotHistogram) return found;
  const made = new SlotHistogram(name, help, labelNames, bounds);
  registry.registerMetric(made as unknown as client.Metric);
  return made;
}

/** The entry under `key`, made by `make(key)` on first use: how callers keep resolved slots without building a
 * key string. Pass a function that closes over nothing (a module-level one), or the call allocates a closure. */
export function entry<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make(key);
    map.set(key, v);
  }
  return v;
}
