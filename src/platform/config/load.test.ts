import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

const file = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'portal-config-test-')), name);
  writeFileSync(path, text);
  return path;
};

describe('loadConfig', () => {
  it('works with no file at all: four models, the free plan by default, no pools (demo)', () => {
    const config = loadConfig({ env: {} });
    expect(config.models.map((m) => m.id)).toEqual(['oss-20b', 'oss-120b', 'gemma4', 'qwen']);
    expect(config.defaultPlan).toBe('free');
    expect(config.pools).toEqual([]);
    expect(config.server.port).toBe(8080);
  });

  it('lets the environment override the file', () => {
    const path = file('portal.yaml', 'server:\n  port: 9000\n');
    const config = loadConfig({
      file: path,
      env: { PORT: '9100', DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://h' },
    });
    expect(config.server.port).toBe(9100);
    expect(config.database.url).toBe('postgres://x@h/db');
    expect(config.redis.url).toBe('redis://h');
  });

  it('reads JSON and YAML pool definitions with defaults filled in', () => {
    const path = file(
      'portal.json',
      JSON.stringify({
        pools: [
          {
            id: 'main',
            models: ['oss-20b'],
            routers: [
              { id: 'r1', url: 'http://127.0.0.1:5010', apiKeyEnv: 'ROUTER_KEY', dedicatedSessions: [5] },
            ],
          },
        ],
      }),
    );
    const pool = loadConfig({ file: path, env: {} }).pools[0]!;
    expect(pool).toMatchObject({ kind: 'cortensor', apiVersion: 'v1', state: 'active' });
    expect(pool.routers[0]).toMatchObject({ weight: 1, state: 'active', ephemeralSessions: [] });
  });

  it.each([
    ['{"server": {"port": "x"}}', 'portal.json', /portal\.json: server\.port: /],
    ['{"nope": 1}', 'portal.json', /Unrecognized key.*nope/],
    ['defaultPlan: gold\n', 'portal.yaml', /defaultPlan: no plan with id "gold"/],
    [
      'pools:\n  - id: p\n    models: [oss-20b]\n    routers: [{ id: r, url: "not a url", dedicatedSessions: [1] }]\n',
      'portal.yaml',
      /pools\.0\.routers\.0\.url/,
    ],
    [
      'pools:\n  - id: p\n    models: [oss-20b]\n    routers: [{ id: r, url: "http://x" }]\n',
      'portal.yaml',
      /needs at least one session id/,
    ],
    ['routers: [', 'portal.yaml', /not valid YAML/],
  ])('names the problem in %j', (text, name, pattern) => {
    expect(() => loadConfig({ file: file(name, text), env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file: file(name, text), env: {} })).toThrow(pattern);
  });

  it('loads the documented example config (docs/portal.example.yaml)', () => {
    const example = new URL('../../../docs/portal.example.yaml', import.meta.url).pathname;
    const config = loadConfig({ file: example, env: {} });
    expect(config.pools[0]!.routers[0]!.apiKeyEnv).toBe('ROUTER_A_KEY');
    expect(config.plans.map((p) => p.id)).toEqual(['free', 'pro', 'credits']);
  });

  it('refuses a non-numeric PORT', () => {
    expect(() => loadConfig({ env: { PORT: '80a' } })).toThrow(/PORT must be a whole number/);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadConfig({ file: '/nonexistent/portal.yaml', env: {} })).toThrow(/cannot be read: ENOENT/);
  });

  it('refuses a production config listening beyond loopback without a public URL, in one line', () => {
    expect(() => loadConfig({ env: { NODE_ENV: 'production' } })).toThrow(
      new ConfigError(
        'config: server.publicUrl: required in production when listening on 0.0.0.0 (set PORTAL_PUBLIC_URL, e.g. https://portal.example)',
      ),
    );
    expect(
      loadConfig({ env: { NODE_ENV: 'production', HOST: '127.0.0.1' } }).server.publicUrl,
    ).toBeUndefined();
    const configured = loadConfig({
      env: { NODE_ENV: 'production', PORTAL_PUBLIC_URL: 'https://portal.example' },
    });
    expect(configured.server.publicUrl).toBe('https://portal.example');
  });

  it('refuses a public URL that is not an http(s) URL', () => {
    expect(() => loadConfig({ env: { PORTAL_PUBLIC_URL: 'javascript:alert(1)' } })).toThrow(
      /server\.publicUrl: must be an http\(s\) URL/,
    );
  });
});
