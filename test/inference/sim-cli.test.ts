/**
 * `portal sim --port N --api-key K` as a separate process: ping with the key, 401 without, and a streamed
 * completion printed as SSE chunks ending in `data: [DONE]`. Runs the CLI's main() from source (tsx), the
 * same code bin/portal runs from dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

const ENTRY = `import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));`;

describe('portal sim (spawned)', () => {
  let child: ChildProcess;
  let base: string;
  const output: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        ENTRY,
        'sim',
        '--port',
        String(port),
        '--api-key',
        'K',
        '--miners',
        '2',
      ],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    const started = Date.now();
    while (!output.join('').includes('listening')) {
      if (child.exitCode !== null || Date.now() - started > 90_000)
        throw new Error(`sim did not start: ${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 100_000);

  afterAll(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('answers ping with the bearer key and 401 without it', async () => {
    const ok = await fetch(`${base}/api/v1/ping`, { headers: { authorization: 'Bearer K' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${base}/api/v1/ping`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/ping`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
  });

  it('streams a completion as SSE chunks followed by data: [DONE]', async () => {
    const res = await fetch(`${base}/api/v1/completions/5`, {
      method: 'POST',
      headers: { authorization: 'Bearer K', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Hello', stream: true, max_tokens: 16 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.length).toBeGreaterThan(4);
    expect(events.at(-1)).toBe('data: [DONE]');
    const first = JSON.parse(events[0]!.slice('data: '.length)) as {
      choices: Array<{ text: string }>;
      task_id: number;
    };
    expect(typeof first.choices[0]?.text).toBe('string');
    expect(first.task_id).toBeGreaterThan(0);
  });

  it('lists sessions and changes behaviour through the control endpoint', async () => {
    const headers = { authorization: 'Bearer K', 'content-type': 'application/json' };
    const set = await fetch(`${base}/_sim/config`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ errorRate: 1, errorShape: 'string', errorStatus: 503 }),
    });
    expect(set.status).toBe(200);
    const failed = await fetch(`${base}/api/v3/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ session_id: 1, prompt: 'x' }),
    });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ error: 'simulated router failure' });
    const sessions = await fetch(`${base}/api/v1/sessions`, { headers });
    expect(((await sessions.json()) as unknown[]).length).toBeGreaterThan(0);
  });
});
