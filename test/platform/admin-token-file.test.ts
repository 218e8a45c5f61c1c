/**
 * A fresh `portal serve` outside production generates an admin token into the data dir, readable by its owner
 * only, and the CLI finds it there, so the README's `portal users create` / `portal keys create` work with
 * nothing set. In production nothing is generated and the admin API stays off without PORTAL_ADMIN_TOKEN.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startPortalProcess } from '../support/processes.js';

const BIN = fileURLToPath(new URL('../../bin/portal', import.meta.url));
const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-token-'));
  dirs.push(dir);
  return dir;
};

/** Runs `body` against a fresh `portal serve` in `nodeEnv` with its own data dir and no admin token set. */
async function withPortal(
  nodeEnv: 'development' | 'production',
  body: (portal: { url: string }, dataDir: string) => Promise<void>,
): Promise<void> {
  const dataDir = tempDir();
  const portal = await startPortalProcess({
    NODE_ENV: nodeEnv,
    PORTAL_DATA_DIR: dataDir,
    PORTAL_ADMIN_TOKEN: '',
  });
  try {
    await body(portal, dataDir);
  } finally {
    await portal.stop();
  }
}

describe('the generated admin token', { timeout: 120_000 }, () => {
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is written owner-only outside production, and the CLI uses it with no PORTAL_ADMIN_TOKEN', async () => {
    await withPortal('development', async (portal, dataDir) => {
      const file = join(dataDir, 'admin-token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const env = {
        ...process.env,
        PORTAL_URL: portal.url,
        PORTAL_DATA_DIR: dataDir,
        PORTAL_ADMIN_TOKEN: '',
      };
      const user = await run(
        process.execPath,
        [BIN, 'users', 'create', '--email', 'readme@example.test', '--password', 'a-long-password-1'],
        { env },
      );
      expect(user.stdout).toContain('created user readme@example.test');
      const key = await run(
        process.execPath,
        [BIN, 'keys', 'create', '--email', 'readme@example.test', '--name', 'cli', '--json'],
        { env },
      );
      expect((JSON.parse(key.stdout) as { key: string }).key).toMatch(/^ptl_/);
    });
  });

  it('is not generated in production: the admin API stays off', async () => {
    await withPortal('production', async (portal, dataDir) => {
      expect(existsSync(join(dataDir, 'admin-token'))).toBe(false);
      const res = await fetch(`${portal.url}/admin/api/users`, {
        headers: { authorization: `Bearer ${'x'.repeat(40)}` },
      });
      expect(res.status).toBe(401);
      const cli = await run(process.execPath, [BIN, 'keys', 'list', '--email', 'a@example.test'], {
        env: { ...process.env, PORTAL_URL: portal.url, PORTAL_DATA_DIR: dataDir, PORTAL_ADMIN_TOKEN: '' },
      }).catch((err: { stderr: string; code: number }) => err);
      expect('code' in cli && cli.code).toBe(1);
      expect((cli as { stderr: string }).stderr).toMatch(/set PORTAL_ADMIN_TOKEN/);
    });
  });
});
