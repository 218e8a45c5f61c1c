/**
 * Starting Portal the way an operator does (`bin/portal serve`): it comes up ready, keeps its data across a
 * restart, and every start-up problem ends the process with one clear line and a non-zero exit — never a
 * stack trace alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startPortalProcess } from '../support/processes.js';
import { describeWith } from '../support/services.js';
import { createTestDatabase } from '../support/store.js';
import { ADMIN_TOKEN, remote } from '../support/harness.js';

const BIN = fileURLToPath(new URL('../../bin/portal', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'portal-startup-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `portal serve` expecting it to fail; resolves with its exit code and output. */
function failingStart(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], {
      env: {
        ...process.env,
        // Embedded by default: the suite's own DATABASE_URL / REDIS_URL must not leak into these starts.
        DATABASE_URL: '',
        REDIS_URL: '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        PORTAL_DATA_DIR: tempDir(),
        // Loopback: a production start beyond it also needs PORTAL_PUBLIC_URL (its own case below).
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

function expectOneClearLine(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr.split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^portal: /);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('start-up failures', { timeout: 90_000 }, () => {
  it('a bad config names the file and the field', async () => {
    const file = join(tempDir(), 'portal.json');
    writeFileSync(file, JSON.stringify({ server: { port: 'eighty' } }));
    expectOneClearLine(await failingStart({}, ['--config', file]), /portal\.json: server\.port: .*number/);
  });

  it('a config file that is not valid YAML says so', async () => {
    const file = join(tempDir(), 'portal.yaml');
    writeFileSync(file, 'pools: [\n  - id: x\n');
    expectOneClearLine(await failingStart({ PORTAL_CONFIG: file }), /portal\.yaml is not valid YAML/);
  });

  it('a production start on a public address without PORTAL_PUBLIC_URL', async () => {
    expectOneClearLine(
      await failingStart({ HOST: '0.0.0.0' }),
      /server\.publicUrl: required in production when listening on 0\.0\.0\.0/,
    );
  });

  it('an unknown model in a pool is named', async () => {
    const file = join(tempDir(), 'portal.yaml');
    writeFileSync(
      file,
      'pools:\n  - id: p\n    models: [gpt-9]\n    routers: [{ id: r, url: "http://127.0.0.1:1", dedicatedSessions: [1] }]\n',
    );
    expectOneClearLine(
      await failingStart({ PORTAL_CONFIG: file }),
      /pools\.0\.models\.0: unknown model "gpt-9"/,
    );
  });

  it('an unreachable DATABASE_URL is named, without its password', async () => {
    const result = await failingStart({ DATABASE_URL: 'postgres://portal:s3cret@127.0.0.1:1/portal' });
    expectOneClearLine(result, /cannot reach PostgreSQL .*127\.0\.0\.1:1/);
    expect(result.stderr).not.toContain('s3cret');
  });

  it('a port in use is named', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      expectOneClearLine(
        await failingStart({ PORT: String(port), HOST: '127.0.0.1' }),
        new RegExp(`port ${port} .*already in use`),
      );
    } finally {
      blocker.close();
    }
  });

  it('a read-only data dir is named', async () => {
    const dir = tempDir();
    const immutable = spawnSync('chattr', ['+i', dir]).status === 0; // read-only even for root
    try {
      const target = immutable ? dir : '/sys/portal-data'; // sysfs refuses mkdir when chattr is unavailable
      expectOneClearLine(await failingStart({ PORTAL_DATA_DIR: target }), /data dir .* is not writable/);
    } finally {
      if (immutable) spawnSync('chattr', ['-i', dir]);
    }
  });
});

describeWith(['postgres'], 'start-up failures with PostgreSQL', () => {
  it('a read-only data dir is named even when the store is PostgreSQL', { timeout: 90_000 }, async () => {
    const db = await createTestDatabase();
    const dir = tempDir();
    const immutable = spawnSync('chattr', ['+i', dir]).status === 0;
    try {
      const target = immutable ? dir : '/sys/portal-data';
      expectOneClearLine(
        await failingStart({ PORTAL_DATA_DIR: target, DATABASE_URL: db.url }),
        /data dir .* is not writable/,
      );
    } finally {
      if (immutable) spawnSync('chattr', ['-i', dir]);
      await db.drop();
    }
  });
});

describe('a clean start', { timeout: 120_000 }, () => {
  it('is ready and keeps its data across a restart (embedded store)', async () => {
    const dataDir = tempDir();
    const env = {
      PORTAL_DATA_DIR: dataDir,
      PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
      DATABASE_URL: '',
      REDIS_URL: '',
    };
    await keepsAUserAcrossARestart(env, 'persist@example.test');
  });
});

describeWith(['postgres'], 'a clean start on PostgreSQL', () => {
  it('is ready and keeps its data across a restart', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, PORTAL_ADMIN_TOKEN: ADMIN_TOKEN };
    try {
      await keepsAUserAcrossARestart(env, 'persist-pg@example.test');
    } finally {
      await db.drop();
    }
  });
});

/**
 * Starts a Portal process (ready within the default deadline: how fast is measured in bench/, not here),
 * creates a user through the admin API, stops it with SIGTERM
 * (exit 0) and starts it again on the same store: the user is still there.
 */
async function keepsAUserAcrossARestart(env: Record<string, string>, email: string) {
  const first = await startPortalProcess(env);
  expect((await remote(first.url).anon.get('/healthz')).status).toBe(200);
  const created = await remote(first.url).admin.post('/admin/api/users', {
    email,
    password: 'a-long-password-1',
  });
  expect(created.status).toBeLessThan(300);
  expect(await first.stop('SIGTERM')).toBe(0);
  const second = await startPortalProcess(env);
  try {
    expect(await (await remote(second.url).anon.get('/readyz')).json()).toEqual({ status: 'ready' });
    const users = await (
      await remote(second.url).admin.get('/admin/api/users')
    ).json<{ data: Array<{ email: string }> }>();
    expect(users.data.map((u) => u.email)).toContain(email);
  } finally {
    await second.stop();
  }
}
