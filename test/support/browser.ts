/**
 * Debian Chromium driven by playwright-core for the browser suites: a headless persistent context on a
 * throwaway profile, one page with a short default timeout, and every Content-Security-Policy complaint in the
 * console collected (suites expect none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './services.js';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  cspViolations: string[];
  close(): Promise<void>;
}

export async function openBrowser(options: {
  baseURL: string;
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
    viewport: { width: 1280, height: 860 },
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
