/**
 * The API reference page in a real browser (Debian Chromium via playwright-core) against a real server: signed
 * out, /docs/reference renders the operations of /openapi.json with Redoc from the bundle (no request leaves
 * the server's origin), under its own CSP and with no CSP violation; reached by in-app navigation it reloads
 * into that CSP. Writes docs/screenshots/reference.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, startBrowserPortal, type BrowserPortal } from '../support/browser.js';
import { describeWith } from '../support/services.js';

const OPERATIONS = [
  'Create a chat completion',
  'Create a text completion (legacy)',
  'Create a message (Anthropic Messages API)',
  'List the models this key may call',
  'Create an API key (the full key is in this response only)',
  'Request logs, newest first',
];

const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
/** The middle panel's heading of an operation (the sidebar holds hidden copies of the same text). */
const heading = (page: Page, summary: string) => page.locator('h2', { hasText: summary }).first();

describeWith(['chromium'], 'API reference in a real browser', () => {
  let running: BrowserPortal;
  let page: Page;
  const problems: string[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    running = await startBrowserPortal({ viewport: { width: 1440, height: 900 } });
    page = running.page;
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      // Redoc's attribution tries a logo from its CDN; the CSP refuses it (nothing leaves the origin) and
      // the image hides itself. Every other console error or CSP violation fails the test.
      if (m.text().includes(REDOC_CDN_LOGO)) return;
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('response', (r) => {
      if (!r.url().startsWith(running.baseURL) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
    });
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  it('renders every API’s operations signed out, from the bundle, with no CSP violation', async () => {
    const res = await page.goto('/docs/reference');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    for (const summary of OPERATIONS) await heading(page, summary).waitFor();
    expect(new URL(page.url()).pathname).toBe('/docs/reference');
    await heading(page, OPERATIONS[0]!).evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -64); // below the page's fixed bar
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'reference.png') });
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  }, 60_000);

  it('keeps the dashboard’s strict CSP everywhere else', async () => {
    const res = await page.goto('/sign-in');
    expect(res?.headers()['content-security-policy']).toContain("style-src 'self';");
  });

  it('reloads into the reference CSP when reached by in-app navigation', async () => {
    await page.goto('/sign-in');
    await page.getByRole('heading').first().waitFor();
    problems.length = 0; // the signed-out dashboard's own 401 from /api/account is not this page's
    await page.evaluate(() => {
      window.history.pushState(null, '', '/docs/reference');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    await heading(page, OPERATIONS[0]!).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);
});
