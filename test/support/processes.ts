/**
 * Real Portal processes (`bin/portal serve`, from the build) for multi-instance and signal tests. Each gets
 * its own port and data dir; all share what the caller passes (DATABASE_URL, REDIS_URL, a config file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/portal', import.meta.url));

export interface PortalProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// A test that fails between start and stop must not leave a server behind: whatever is still running when
// the test process exits is killed.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function writeConfig(config: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'portal-config-')), 'portal.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/**
 * Starts `bin/portal serve` and waits for /readyz. `at.port` / `at.dataDir` restart an instance where it was
 * (same address, same spool), as a rolling restart or a crash-and-restart does.
 */
export async function startPortalProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  /** Where to run (a restart keeps its port and data folder) and extra `serve` arguments, e.g. `['--workers', '2']`. */
  at: { port?: number; dataDir?: string; args?: string[] } = {},
): Promise<PortalProcess> {
  const port = at.port ?? (env.PORT ? Number(env.PORT) : await freePort());
  const dataDir = at.dataDir ?? (env.PORTAL_DATA_DIR || mkdtempSync(join(tmpdir(), 'portal-proc-')));
  const child = spawn(process.execPath, [BIN, 'serve', ...(at.args ?? [])], {
    env: {
      ...process.env,
      // Embedded unless the caller names the services: the suite's DATABASE_URL / REDIS_URL do not leak in.
      DATABASE_URL: '',
      DATABASE_DIRECT_URL: '',
      REDIS_URL: '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PORTAL_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portal exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`portal did not become ready in ${timeoutMs} ms: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dataDir,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
