/**
 * Where SSE frames go: the Node response itself under @hono/node-server (no web stream in between — a web
 * ReadableStream per answer cost ~10 % of the gateway's CPU), else a web ReadableStream (`app.request()`).
 */
import type { ServerResponse } from 'node:http';

export interface SseSink {
  /** False when the client reads slower than we write: wait for `drained()` before writing more. */
  write(frame: string): boolean;
  drained(): Promise<void>;
  /** Writes the last frames (one write with the end of the body) and ends the answer. */
  end(last?: string): void;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/**
 * Writes the head and `first` on the Node response, corked: they leave in one write with whatever the
 * upstream already sent (with a fast upstream, the whole answer); a slow upstream's client gets them on the
 * next timer tick.
 */
export function nodeSink(outgoing: ServerResponse, first: string): SseSink {
  outgoing.writeHead(200, SSE_HEADERS);
  outgoing.cork();
  outgoing.write(first);
  let corked = true;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    outgoing.uncork();
  };
  setTimeout(uncork, 0);
  return {
    write(frame) {
      const ok = outgoing.write(frame);
      uncork();
      return ok;
    },
    drained: () =>
      new Promise((resolve) => {
        const go = () => (outgoing.off('drain', go), outgoing.off('close', go), resolve());
        outgoing.on('drain', go).on('close', go);
      }),
    end(last) {
      corked = false; // end() writes everything corked with the last frames
      outgoing.end(last);
    },
  };
}

const bytes = new TextEncoder();

/** Enqueues `first`, then every frame, on a web ReadableStream's controller (no backpressure: it buffers). */
export function webSink(controller: ReadableStreamDefaultController<Uint8Array>, first: string): SseSink {
  controller.enqueue(bytes.encode(first));
  return {
    write: (frame) => (controller.enqueue(bytes.encode(frame)), true),
    drained: () => Promise.resolve(),
    end: (last) => {
      if (last) controller.enqueue(bytes.encode(last));
      controller.close();
    },
  };
}
