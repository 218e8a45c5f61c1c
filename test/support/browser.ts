/**
 * Debian Chromium driven by playwright-core for the browser suites: `openBrowser` gives a headless persistent
 * context on a throwaway profile, one page with a short default timeout, and every Content-Security-Policy
 * complaint in the console collected (suites expect none). `startBrowserPortal` adds a real Portal from the
 * harness (./harness.ts) serving the freshly built dashboard in front of it. `close()` stops what each started
 * and removes its folders.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { inject } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestPortal, type TestPortal, type TestPortalOptions } from './harness.js';
import { CHROMIUM_PATH } from './services.js';

export const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  cspViolations: string[];
  close(): Promise<void>;
}

export async function openBrowser(options: {
  baseURL: string;
  viewport?: { width: number; height: number };
  permissions?: string[];
}): Promise<TestBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'portal-e2e-chromium-'));
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
    viewport: options.viewport ?? { width: 1280, height: 860 },
    permissions: options.permissions ?? [],
    baseURL: options.baseURL,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(8_000);
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return {
    context,
    page,
    cspViolations,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Fills the dashboard's sign-up form on the current page; the caller submits it (after a screenshot, say). */
export async function fillSignUp(page: Page, account: { name: string; email: string; password: string }) {
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
}

export interface BrowserPortal extends TestBrowser {
  /** The harness's Portal (embedded PGlite unless options say otherwise) with a simulator pool. */
  portal: TestPortal;
  /** The portal's URL as the browser reaches it. */
  baseURL: string;
}

const REPO = join(import.meta.dirname, '../..');
const BUILD_LOCK = join(REPO, '.tmp/web-build.lock');
const BUILD_STAMP = join(REPO, '.tmp/web-build.run');

/**
 * Builds web/dist once per `vitest run`, so every browser suite serves the current dashboard. Once, not once
 * per file: Vite empties web/dist before writing it, so a second suite's build would pull the files out from
 * under a page another worker is loading. A lock directory serialises the workers; the stamp names the run
 * (test/support/global-setup.ts) that built last.
 */
async function buildDashboard() {
  const runId = inject('runId');
  mkdirSync(join(REPO, '.tmp'), { recursive: true });
  await withLock(BUILD_LOCK, () => {
    if (existsSync(BUILD_STAMP) && readFileSync(BUILD_STAMP, 'utf8') === runId) return;
    execFileSync('npm', ['run', 'build:web'], { cwd: REPO, stdio: 'ignore' });
    writeFileSync(BUILD_STAMP, runId);
  });
}

/** Runs `fn` holding a lock directory; a lock older than 5 minutes is a crashed holder's and is taken over. */
async function withLock(dir: string, fn: () => void) {
  for (;;) {
    try {
      mkdirSync(dir);
      break;
    } catch {
      const age = Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(dir, { force: true, recursive: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    fn();
  } finally {
    rmSync(dir, { force: true, recursive: true });
  }
}

/** Builds the dashboard, starts a Portal through the one harness and opens Chromium on it. */
export async function startBrowserPortal(options: {
  viewport?: { width: number; height: number };
  permissions?: string[];
  portal?: TestPortalOptions;
}): Promise<BrowserPortal> {
  await buildDashboard();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const portal = await startTestPortal(options.portal ?? {});
  const baseURL = portal.url.replace('localhost', '127.0.0.1');
  const browser = await openBrowser({
    baseURL,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
  return {
    ...browser,
    portal,
    baseURL,
    async close() {
      await browser.close();
      await portal.close();
    },
  };
}
