/** In-process bus for a single instance: publish calls every subscriber synchronously. */
import type { Bus, BusHandler, BusMessage } from './types.js';

export function createMemoryBus(): Bus {
  const handlers = new Set<BusHandler>();
  return {
    kind: 'memory',
    async publish(message: BusMessage) {
      for (const h of handlers) h(message);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    status: () => ({ state: 'ok' }),
    async close() {
      handlers.clear();
    },
  };
}
