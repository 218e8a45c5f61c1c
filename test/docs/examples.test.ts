/**
 * The examples the docs pages include (examples/) run against a live Portal with a simulator pool: the curl
 * and Node quick starts stream an answer, the tool-calling examples call get_weather and answer with its
 * result, and the backoff example waits out a 429 and succeeds. The Python ones run when python3 has the
 * `openai` package, and are skipped with a message otherwise (an optional client, not a Portal service).
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { EXAMPLES_DIR } from './pages.js';

const run = promisify(execFile);
const hasPythonOpenai = spawnSync('python3', ['-c', 'import openai']).status === 0;
if (!hasPythonOpenai)
  console.warn('SKIPPED "examples/*.py" — python3 cannot import openai (pip install openai to run them)');

describe('examples against a live Portal', () => {
  // Per-key windows of 2 s instead of 60 s, so the backoff example's wait is short.
  const portal = usePortal({ config: { gateway: { rateWindowMs: 2_000 } } });
  let env: NodeJS.ProcessEnv;

  /** Runs an example file (async: the Portal answering it lives in this process). */
  const example = (command: string, file: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    run(command, [join(EXAMPLES_DIR, file)], { env: { ...env, ...extraEnv }, timeout: 60_000 });

  beforeAll(async () => {
    const { key } = await portal.account();
    env = { ...process.env, PORTAL_API_KEY: key, PORTAL_BASE_URL: `${portal.url}/v1` };
  });

  it('quickstart.sh streams server-sent events ending in [DONE]', async () => {
    const { stdout } = await example('sh', 'quickstart.sh');
    const events = stdout.split('\n').filter((l) => l.startsWith('data: '));
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((l) => (JSON.parse(l.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0])
      .map((c) => c?.delta.content ?? '')
      .join('');
    expect(text.trim().length).toBeGreaterThan(0);
  });

  it('quickstart.mjs prints a streamed answer', async () => {
    const { stdout } = await example('node', 'quickstart.mjs');
    expect(stdout.trim().length).toBeGreaterThan(5);
  });

  it('tools.sh gets a get_weather call for Paris', async () => {
    const { stdout } = await example('sh', 'tools.sh');
    const body = JSON.parse(stdout) as {
      choices: Array<{
        finish_reason: string;
        message: { tool_calls: Array<{ function: { name: string; arguments: string } }> };
      }>;
    };
    expect(body.choices[0]?.finish_reason).toBe('tool_calls');
    const call = body.choices[0]!.message.tool_calls[0]!.function;
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toHaveProperty('city');
  });

  it('tools.mjs runs the call and the model answers with its result', async () => {
    const { stdout } = await example('node', 'tools.mjs');
    const [called, answer] = stdout.trim().split('\n');
    expect(called).toMatch(/^called get_weather\(\{"city":/);
    expect(answer).toContain('light rain');
  });

  it('backoff.mjs waits out rate_limit_exceeded and both calls succeed', async () => {
    const limited = await portal.account({ key: { requestsPerMinute: 1 } });
    const { stdout, stderr } = await example('node', 'backoff.mjs', { PORTAL_API_KEY: limited.key });
    expect(stderr).toMatch(/rate_limit_exceeded: retrying in \d+ ms/);
    expect(stdout.trim().split('\n')).toHaveLength(2);
  });

  it('the Python examples compile', async () => {
    for (const file of ['quickstart.py', 'tools.py'])
      await run('python3', [
        '-c',
        'import ast, sys; ast.parse(open(sys.argv[1]).read())',
        join(EXAMPLES_DIR, file),
      ]);
  });

  it.skipIf(!hasPythonOpenai)('quickstart.py prints a streamed answer', async () => {
    const { stdout } = await example('python3', 'quickstart.py');
    expect(stdout.trim().length).toBeGreaterThan(5);
  });

  it.skipIf(!hasPythonOpenai)('tools.py runs the call and the model answers with its result', async () => {
    const { stdout } = await example('python3', 'tools.py');
    expect(stdout).toMatch(/called get_weather\(/);
    expect(stdout).toContain('light rain');
  });
});
