import { parseArgs } from 'node:util';
import { startSimulator } from '#src/inference/simulator/server.js';
import { simOptionsSchema } from '#src/inference/simulator/options.js';
import { CliError, type Command } from '../command.js';

/** Flags named after the simulator options (kebab-case); each maps to one option. */
const numberFlags = {
  seed: 'seed',
  'ttft-ms': 'ttftMs',
  'tokens-per-second': 'tokensPerSecond',
  'output-tokens': 'outputTokens',
  miners: 'miners',
  'pending-polls': 'pendingPolls',
  'error-rate': 'errorRate',
  'error-status': 'errorStatus',
  'retry-after': 'retryAfterS',
  'disconnect-after': 'disconnectAfterTokens',
} as const;

function parseSessionModels(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const [id, model] = v.split('=');
    if (!id || !model || !/^\d+$/.test(id)) throw new CliError(`--session takes ID=MODEL, got "${v}"`);
    out[id] = model;
  }
  return out;
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'Run the Cortensor router simulator (router REST API + OpenAI-compatible /v1)',
  usage: `portal sim [--port 5010] [--api-key K] [options]

A standalone router simulator: /api/v1/{info,status,about,ping,miners,sessions,tasks}, completions under
/api/v1|v2|v3/completions[/SESSION] (JSON or SSE), /v1/chat/completions, and POST /_sim/config to change
any option below while it runs (JSON body with the camelCase option names).

Options:
  --port N                 listen port (default 5010)
  --host H                 listen address (default 127.0.0.1)
  --api-key K              bearer key required on every call (also SIM_API_KEY; default: none)
  --model NAME             model name of sessions not given with --session (default gpt-oss:20b-gpu)
  --session ID=MODEL       a session and its model (repeatable)
  --seed N                 text seed (default 1)
  --ttft-ms N              time to first token, ms (default 0)
  --tokens-per-second N    pace after the first token; 0 = unpaced (default 0)
  --output-tokens N        answer length when max_tokens allows it (default 48)
  --miners N               miners per task: several choices / interleaved streams (default 1)
  --no-usage               answers carry no usage
  --pending-polls N        non-streamed answers are pending for N task polls (default 0)
  --pending-no-task-id     pending answers name no task (clients re-send)
  --error-rate X           fraction of completions that fail (0..1)
  --error-status N         status of those failures (default 500)
  --error-shape S          nested | string | message (default nested)
  --retry-after S          retry-after seconds sent with failures
  --hang                   completions never answer
  --disconnect-after N     cut streams after N tokens
  --zero-delay             no pacing at all (benchmarks)`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '5010' },
        host: { type: 'string', default: '127.0.0.1' },
        'api-key': { type: 'string' },
        model: { type: 'string' },
        session: { type: 'string', multiple: true, default: [] },
        'error-shape': { type: 'string' },
        'no-usage': { type: 'boolean', default: false },
        'pending-no-task-id': { type: 'boolean', default: false },
        hang: { type: 'boolean', default: false },
        'zero-delay': { type: 'boolean', default: false },
        ...Object.fromEntries(Object.keys(numberFlags).map((k) => [k, { type: 'string' as const }])),
      },
    });
    const options: Record<string, unknown> = {
      apiKey: values['api-key'] ?? process.env.SIM_API_KEY ?? '',
      sessionModels: parseSessionModels(values.session),
      usage: !values['no-usage'],
      pendingTaskId: !values['pending-no-task-id'],
      hang: values.hang,
    };
    if (values.model) options.defaultModel = values.model;
    if (values['error-shape']) options.errorShape = values['error-shape'];
    for (const [flag, key] of Object.entries(numberFlags)) {
      const raw = (values as Record<string, unknown>)[flag];
      if (typeof raw !== 'string') continue;
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new CliError(`--${flag} takes a number, got "${raw}"`);
      options[key] = n;
    }
    if (values['zero-delay']) Object.assign(options, { ttftMs: 0, tokensPerSecond: 0 });
    const parsed = simOptionsSchema.safeParse(options);
    if (!parsed.success)
      throw new CliError(
        `bad option: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliError(`--port takes a port number, got "${values.port}"`);
    const sim = await startSimulator({ port, host: values.host, options: parsed.data }).catch(
      (err: NodeJS.ErrnoException) => {
        throw new CliError(
          err.code === 'EADDRINUSE' ? `port ${port} is already in use` : `cannot listen: ${err.message}`,
        );
      },
    );
    console.log(
      `router simulator listening on ${sim.url}${parsed.data.apiKey ? ' (bearer key required)' : ''}`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sim.close();
    return 0;
  },
};
