// `npm run bench`: runs every benchmark in bench/, one after the other, each in its own process with a time
// limit. Benchmarks that need a service (DATABASE_URL, REDIS_URL) are skipped with the reason printed. A
// bench/*.ts not listed below is still run, with its own defaults.
//
//   npm run bench                        gateway, limiter, tokens, writeback (about 8-10 minutes on 2 cores)
//   npm run bench -- --all               also usage-api (its first run seeds 5M events: long)
//   npm run bench -- --only gateway      just these (comma-separated)
//   npm run bench -- --skip writeback    all but these
//   npm run bench -- --only gateway -- --runs 3 --profile    arguments after a second `--` go to gateway.ts
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const split = process.argv.indexOf('--', 2);
const own = split === -1 ? process.argv.slice(2) : process.argv.slice(2, split);
const gatewayArgs = split === -1 ? [] : process.argv.slice(split + 1);
const { values } = parseArgs({
  args: own,
  options: {
    only: { type: 'string' },
    skip: { type: 'string' },
    all: { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '15' },
  },
});

/** name → arguments and the services it cannot run without; optIn: only with --all or --only. */
const known = {
  gateway: { args: gatewayArgs, needs: [] },
  limiter: { args: ['3'], needs: [] },
  unkey: { args: ['3'], needs: [] },
  tokens: { args: [], needs: [] },
  'tool-parser': { args: ['1'], needs: [] },
  writeback: { args: ['50000', '500,2000'], needs: ['DATABASE_URL'] },
  'usage-api': { args: [], needs: ['DATABASE_URL'], optIn: true },
  ab: { args: [], needs: [], optIn: true }, // needs --base: run it directly (see bench/ab.ts)
};

const found = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => (a === 'gateway' ? -1 : b === 'gateway' ? 1 : a.localeCompare(b)));
const only = values.only?.split(',');
const skip = values.skip?.split(',') ?? [];

function run(name, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', `${here}${name}.ts`, ...args], {
      stdio: 'inherit',
      detached: true, // its own process group, so a time-out stops everything it started
    });
    const limit = Number(values['timeout-min']) * 60_000;
    const timer = setTimeout(() => {
      console.error(`\n${name}: still running after ${values['timeout-min']} min, stopping it`);
      process.kill(-child.pid, 'SIGTERM');
      setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 10_000).unref();
    }, limit);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, ok: code === 0, detail: signal ?? `exit ${code}`, s: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (const name of found) {
  const spec = known[name] ?? { args: [], needs: [] };
  if (only ? !only.includes(name) : skip.includes(name) || (spec.optIn && !values.all)) {
    console.log(`\n== ${name}: not selected${spec.optIn ? ' (opt-in: --all or --only)' : ''}`);
    continue;
  }
  const missing = spec.needs.filter((v) => !process.env[v]);
  if (missing.length) {
    console.log(`\n== ${name}: skipped, ${missing.join(' and ')} not set`);
    results.push({ name, ok: true, detail: `skipped (${missing.join(', ')} not set)`, s: 0 });
    continue;
  }
  if (!known[name]) console.log(`\n== ${name}: not listed in bench/run.mjs, running with its defaults`);
  console.log(`\n== ${name} ${spec.args.join(' ')}`);
  results.push(await run(name, spec.args));
}
console.log('\n== summary');
for (const r of results)
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.detail} ${r.s.toFixed(0)} s`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
