/** Small node:http helpers for the simulator: JSON answers, body reading, the error shapes, pauses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimOptions } from './options.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON object body; undefined when it is not one. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An error in one of the shapes routers are seen to use. */
export function errorShape(shape: SimOptions['errorShape'], message: string): unknown {
  switch (shape) {
    case 'nested':
      return { error: { message } };
    case 'string':
      return { error: message };
    case 'message':
      return { message };
  }
}

export function sendError(res: ServerResponse, options: SimOptions, status: number, message: string) {
  const headers: Record<string, string> = options.retryAfterS
    ? { 'retry-after': String(options.retryAfterS) }
    : {};
  sendJson(res, status, errorShape(options.errorShape, message), headers);
}

export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
