/**
 * The public docs in a real browser (Debian Chromium, playwright-core) against a real Portal with a simulator
 * pool and a configured support contact: /docs opens without signing in, the navigation moves between pages,
 * the live catalog fills the Models page, code shows this Portal's own origin, and searching an error code
 * lands on the Errors page. Writes docs-quickstart.png, docs-errors.png and docs-search.png to docs/screenshots/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeWith } from '../support/services.js';
import { SCREENSHOTS, startBrowserPortal, type BrowserPortal } from '../support/browser.js';

const SUPPORT_URL = 'https://help.example.com/portal';

describeWith(['chromium'], 'public docs in a real browser', () => {
  let browser: BrowserPortal;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    browser = await startBrowserPortal({
      portal: { config: { support: { url: SUPPORT_URL, email: 'help@example.com' } } },
    });
    origin = browser.baseURL;
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  it('/docs opens the quick start without signing in, with this Portal origin in the code', async () => {
    await page.goto('/docs');
    await heading('Quick start').waitFor();
    expect(new URL(page.url()).pathname).toBe('/docs');
    const code = (await page.locator('pre.code').allTextContents()).join('\n');
    expect(code).toContain(`${origin}/v1`);
    expect(code).not.toContain('localhost:8080');
    expect(code).toContain('"stream": true');
    await page.getByRole('link', { name: 'Create account' }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot('docs-quickstart');
  });

  it('the navigation moves between pages and the Models page lists the live catalog', async () => {
    const nav = page.getByRole('navigation', { name: 'Docs' });
    await nav.getByRole('link', { name: 'Models' }).click();
    await heading('Models').waitFor();
    const table = page.getByRole('table', { name: 'Models' });
    for (const id of ['oss-20b', 'oss-120b', 'gemma4', 'qwen'])
      await table.getByRole('cell', { name: new RegExp(`^${id}`) }).waitFor();
    await nav.getByRole('link', { name: 'Errors' }).click();
    await heading('Errors').waitFor();
    expect(new URL(page.url()).pathname).toBe('/docs/errors');
    await page.getByRole('cell', { name: 'insufficient_quota', exact: true }).first().waitFor();
    await shot('docs-errors');
    await page.goBack();
    await heading('Models').waitFor();
  });

  it('searching insufficient_quota lists the Errors page first and Enter opens it', async () => {
    await page.goto('/docs/streaming');
    await heading('Streaming').waitFor();
    const box = page.getByRole('searchbox', { name: 'Search the docs' });
    await box.fill('insufficient_quota');
    const results = page.getByRole('list', { name: 'Search results' });
    await expect.poll(() => results.getByRole('link').first().textContent()).toContain('Errors');
    await shot('docs-search');
    await box.press('Enter');
    await heading('Errors').waitFor();
    expect(new URL(page.url()).pathname).toBe('/docs/errors');
  });

  it('the Support page links to the configured support contact', async () => {
    await page.getByRole('navigation', { name: 'Docs' }).getByRole('link', { name: 'Support' }).click();
    await heading('Support').waitFor();
    expect(await page.getByRole('link', { name: SUPPORT_URL }).getAttribute('href')).toBe(SUPPORT_URL);
    expect(await page.getByRole('link', { name: 'help@example.com' }).getAttribute('href')).toBe(
      'mailto:help@example.com',
    );
  });

  it('an unknown docs page says so and offers the way back', async () => {
    await page.goto('/docs/no-such-page');
    await heading('No docs page here').waitFor();
    await page.getByRole('link', { name: 'Quick start' }).first().click();
    await heading('Quick start').waitFor();
    expect(browser.cspViolations).toEqual([]);
  });

  it('right after creating a key, the docs code carries that key; after revoking it, a placeholder', async () => {
    await page.goto('/sign-up');
    await page.getByLabel('Name').fill('Docs Reader');
    await page.getByLabel('Email').fill(`docs-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('docs-password-123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Create your first key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('docs');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('new-key').inputValue();
    expect(key).toMatch(/^ptl_/);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Docs' }).click();
    await heading('Quick start').waitFor();
    await page.getByText('the key you just created').waitFor();
    expect(await page.locator('pre.code').first().textContent()).toContain(`PORTAL_API_KEY="${key}"`);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Revoke docs' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke key?' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await page.locator('.status-revoked').waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Docs' }).click();
    await heading('Quick start').waitFor();
    await expect
      .poll(() => page.locator('pre.code').first().textContent())
      .toContain('PORTAL_API_KEY="ptl_YOUR_KEY"');
  });
});
