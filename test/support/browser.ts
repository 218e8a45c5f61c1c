/**
 * A real Portal on 127.0.0.1:0 (embedded PGlite, the freshly built dashboard) and a headless Debian Chromium
 * driven by playwright-core, for the end-to-end suites. `close()` stops both and removes their folders.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startPortal, type RunningPortal } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config/load.js';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from './pglite.js';
import { CHROMIUM_PATH } from './services.js';

export const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');

export interface BrowserPortal {
  portal: RunningPortal;
  store: Store;
  context: BrowserContext;
  page: Page;
  /** The portal's URL as the browser reaches it. */
  baseURL: string;
  close(): Promise<void>;
}

export async function startBrowserPortal(options: {
  viewport: { width: number; height: number };
  permissions?: string[];
}): Promise<BrowserPortal> {
  execFileSync('npm', ['run', 'build:web'], { cwd: join(import.meta.dirname, '../..'), stdio: 'ignore' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-e2e-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'portal-e2e-chromium-'));
  const store = await openTestStore();
  const config = loadConfig({ env: {}, overrides: { dataDir, server: { host: '127.0.0.1', port: 0 } } });
  const portal = await startPortal(config, { store });
  const baseURL = portal.url.replace('localhost', '127.0.0.1');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: options.viewport,
    ...(options.permissions ? { permissions: options.permissions } : {}),
    baseURL,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    portal,
    store,
    context,
    page,
    baseURL,
    async close() {
      await context.close();
      await portal.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
