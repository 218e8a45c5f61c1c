/**
 * The gateway benchmark's fixed-reply upstream (bench/lib/fixed-upstream.mjs) is only a fair baseline if Portal
 * can serve from it: its answers, fetched from the real server process, go through the OpenAI-compatible
 * adapter as a completion (and a stream) with the upstream's usage, which is what Portal meters.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleAdapter } from '#src/inference/adapters/openai-compatible.js';
import { chatRequest, replay } from '#test/inference/support.js';

const adapter = createOpenAiCompatibleAdapter();
let server: ChildProcess;
let baseUrl = '';

beforeAll(async () => {
  server = spawn(process.execPath, [join(import.meta.dirname, '../../bench/lib/fixed-upstream.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`fixed upstream exited with ${code}`)));
  });
});

afterAll(() => {
  server.kill('SIGTERM');
});

/** Sends what Portal's adapter builds for this request to the fixed upstream. */
async function send(
  stream: boolean,
  body: (b: Record<string, unknown>) => Record<string, unknown> = (b) => b,
) {
  const spec = adapter.buildRequest(chatRequest(), { baseUrl, upstreamModel: 'fixed-oss-120b' }, stream);
  const res = await fetch(spec.url, {
    method: 'POST',
    headers: spec.headers,
    body: JSON.stringify(body(JSON.parse(spec.body ?? '{}') as Record<string, unknown>)),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('fixed-reply upstream', () => {
  it('answers a chat completion the adapter parses, with the upstream usage and the model echoed', async () => {
    const answer = await send(false);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ object: 'chat.completion', model: 'fixed-oss-120b' });
    const parsed = adapter.parseResponse(
      { status: 200, headers: {}, body: answer.text },
      { request: chatRequest(), target: { baseUrl } },
    );
    expect(parsed).toMatchObject({
      kind: 'completion',
      completion: { finishReason: 'stop', usage: { promptTokens: 17, completionTokens: 32 } },
    });
    if (parsed.kind === 'completion') expect(parsed.completion.text.split(' ')).toHaveLength(32);
  });

  it('streams 32 text chunks, stop, the usage chunk and [DONE], which the adapter replays whole', async () => {
    const answer = await send(true);
    expect(answer.type).toBe('text/event-stream');
    expect(answer.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const r = replay(adapter, chatRequest(), answer.text);
    expect(r.failure).toBeUndefined();
    expect(r.text.split(' ')).toHaveLength(32);
    expect(r.end).toMatchObject({ finishReason: 'stop', usage: { promptTokens: 17, completionTokens: 32 } });
  });

  it('leaves the usage chunk out when the request does not ask for it', async () => {
    const answer = await send(true, (b) => ({ ...b, stream_options: undefined }));
    expect(answer.text).not.toContain('"usage"');
    expect(replay(adapter, chatRequest(), answer.text).end).toMatchObject({ finishReason: 'stop' });
  });

  it('400 in OpenAI error shape when the body is not JSON', async () => {
    const res = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('answers the health probe the adapter sends', async () => {
    const probe = adapter.probes({ baseUrl })[0]!;
    expect((await fetch(probe.url)).status).toBe(200);
  });
});
