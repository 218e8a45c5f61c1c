/**
 * Onboarding in a real browser (Debian Chromium, playwright-core) against a real Portal: a new account's empty
 * Usage page links to the Quick start; the first key's reveal panel streams a real answer in the page with
 * "Send a test request" (visible while it streams, cancellable, refusals shown as code + message) and offers an
 * `@anthropic-ai/sdk` snippet for this origin; on the monthly-quota plan the Usage page names the 30-day window
 * in words. Writes docs/screenshots/usage-empty.png and onboarding-test-request.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fillSignUp, SCREENSHOTS, startBrowserPortal, type BrowserPortal } from '../support/browser.js';
import { describeWith } from '../support/services.js';

describeWith(['chromium'], 'onboarding in a real browser', () => {
  let running: BrowserPortal;
  let page: Page;

  beforeAll(async () => {
    running = await startBrowserPortal({ viewport: { width: 1280, height: 900 } });
    page = running.page;
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const answer = () => page.getByTestId('test-answer');
  const status = () => page.getByTestId('test-status');

  it('a new account signs up and its empty Usage page links to the quick start', async () => {
    await page.goto('/sign-up');
    await fillSignUp(page, {
      name: 'Grace Hopper',
      email: `onboarding-${Date.now()}@example.com`,
      password: 'onboarding-password-123',
    });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create your first API key' }).waitFor();
    await page.goto('/usage');
    const link = page.getByRole('link', { name: /quick start/i });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/docs/quickstart');
    await shot('usage-empty');
    await link.click();
    await page.getByRole('heading', { name: 'Quick start', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/docs/quickstart');
  });

  it('the first key streams a test answer in the page and finishes with [DONE]', async () => {
    await page.goto('/keys');
    await page.getByRole('button', { name: 'Create your first key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('first key');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('This is the only time the full key is shown').waitFor();
    await page.getByRole('button', { name: 'Send a test request' }).click();
    await status().getByText('Done: the stream finished with [DONE].').waitFor();
    expect((await answer().textContent())?.trim().length).toBeGreaterThan(10);
    await shot('onboarding-test-request');
    expect(running.cspViolations).toEqual([]);
  });

  it('shows the text while the answer is still streaming, and Cancel stops it', async () => {
    running.portal.sim.configure({ tokensPerSecond: 4, outputTokens: 400 });
    try {
      await page.getByRole('button', { name: 'Send again' }).click();
      await status().getByText('Streaming…').waitFor();
      await expect
        .poll(async () => (await answer().textContent())?.replace('…', '').trim().length)
        .toBeGreaterThan(0);
      expect(await status().textContent()).toBe('Streaming…');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await status().getByText('Cancelled.').waitFor();
    } finally {
      running.portal.sim.configure({ tokensPerSecond: 0, outputTokens: 48 });
    }
  });

  it('a refused test request shows the API error code and message', async () => {
    running.portal.sim.configure({ errorRate: 1, errorStatus: 400 });
    try {
      await page.getByRole('button', { name: 'Send again' }).click();
      const error = page.getByTestId('test-error');
      await error.waitFor({ timeout: 30_000 });
      expect(await error.textContent()).toMatch(/^upstream_error: \S.+/);
    } finally {
      running.portal.sim.configure({ errorRate: 0 });
    }
  });

  it('the Anthropic tab shows @anthropic-ai/sdk code for this origin and the key', async () => {
    const key = await page.getByTestId('new-key').inputValue();
    await page.getByRole('tab', { name: 'Anthropic SDK' }).click();
    const code = (await page.locator('pre.code[role="tabpanel"]').textContent()) ?? '';
    expect(code).toContain("import Anthropic from '@anthropic-ai/sdk';");
    expect(code).toContain(`baseURL: '${running.baseURL}'`);
    expect(code).toContain(`apiKey: '${key}'`);
    expect(code).toContain('anthropic.messages.create(');
    expect(code).toContain("model: 'oss-20b'");
  });

  it('on the monthly-quota plan the Usage page labels the 30-day window in words', async () => {
    const account = (await (await page.request.get('/api/account')).json()) as {
      organization: { id: string };
    };
    const changed = await running.portal.admin.post(`/admin/api/orgs/${account.organization.id}/plan`, {
      plan_id: 'pro',
    });
    expect(changed.status).toBe(200);
    await page.goto('/usage');
    await page.getByRole('heading', { name: 'Current allowance' }).waitFor();
    await page.getByRole('progressbar', { name: 'Tokens per 30 days' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('tokens_per_month');
  });
});
