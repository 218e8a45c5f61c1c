/**
 * The dashboard end to end in a real browser (Debian Chromium driven by playwright-core) against a real
 * server on 127.0.0.1:0: sign up → empty state → create a key → copy it from the reveal panel → call
 * /v1/chat/completions with it → revoke it in the UI → the same call is refused with key_revoked → sign out
 * and back in, and the key is not shown again. Writes a screenshot of each page to docs/screenshots/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  fillSignUp,
  SCREENSHOTS as SHOTS,
  startBrowserPortal,
  type BrowserPortal,
} from '../support/browser.js';
import { describeWith } from '../support/services.js';

const EMAIL = `e2e-${Date.now()}@example.com`;
const PASSWORD = 'e2e-password-123';

describeWith(['chromium'], 'dashboard in a real browser', () => {
  let running: BrowserPortal;
  let portal: BrowserPortal['portal'];
  let page: Page;
  let key = '';

  beforeAll(async () => {
    running = await startBrowserPortal({
      viewport: { width: 1280, height: 860 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    ({ portal, page } = running);
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const chat = (apiKey: string) =>
    portal.as(apiKey).post('/v1/chat/completions', {
      model: 'oss-20b',
      messages: [{ role: 'user', content: 'Say hello' }],
    });

  it('a signed-out visitor is sent to sign in, signs up and lands on the first-key empty state', async () => {
    await page.goto('/keys');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await fillSignUp(page, { name: 'Ada Lovelace', email: EMAIL, password: PASSWORD });
    await shot('sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create your first API key' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/keys');
    await shot('keys-empty');
  });

  it('the create dialog refuses bad input with a specific message', async () => {
    await page.getByRole('button', { name: 'Create your first key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('<script>alert(1)</script>');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Key names cannot contain "<" or ">".').waitFor();
    await dialog.getByLabel('Name').fill('   ');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Give the key a name (1–100 characters).').waitFor();
    await dialog.getByLabel('Requests / minute (optional)').fill('-3');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Requests per minute must be a whole number of at least 1.').waitFor();
    await shot('keys-create-errors');
    await dialog.getByLabel('Requests / minute (optional)').fill('');
  });

  it('creates a key and copies it from the reveal-once panel', async () => {
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('e2e laptop');
    await shot('keys-create-dialog');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('This is the only time the full key is shown').waitFor();
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toMatch(/^ptl_[0-9A-Za-z]{36}$/);
    expect(await page.getByTestId('new-key').inputValue()).toBe(key);
    await expect.poll(() => page.locator('pre.code').textContent()).toContain(key);
    await shot('keys-reveal');
  });

  it('the copied key calls /v1/chat/completions', async () => {
    const res = await chat(key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBeTruthy();
  });

  it('revoking in the UI makes the same call fail with 401 key_revoked', async () => {
    await page.getByRole('button', { name: 'I have saved my key' }).click();
    await page.getByRole('button', { name: 'Revoke e2e laptop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke key?' });
    await shot('keys-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await page.locator('.status-revoked', { hasText: 'Revoked' }).waitFor();
    await shot('keys-list');
    const res = await chat(key);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('key_revoked');
  });

  it('shows the usage, plan, docs and profile pages', async () => {
    for (const [label, heading, name] of [
      ['Usage', 'Usage', 'usage'],
      ['Plan', 'Plan', 'plan'],
      ['Profile', 'Profile', 'profile'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: label }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      await shot(name);
    }
    // Docs are the public docs site (test/e2e/docs.test.ts); a signed-in reader gets back with "Dashboard".
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Docs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quick start' }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot('docs');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'API Keys' }).waitFor();
  });

  it('signs out and back in; the key is never shown again', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const api = await page.request.get('/api/keys');
    expect(api.status()).toBe(401);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /invalid/i })
      .waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'API Keys' }).waitFor();
    await page.locator('.status-revoked').waitFor();
    expect(await page.content()).not.toContain(key);
    expect(await page.getByText(key.slice(0, 10)).count()).toBeGreaterThan(0); // the display prefix only
  });

  it('is keyboard operable: Tab reaches "Create key", Enter opens the dialog, Escape closes it', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Create key');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id)).toBe(
      await dialog.getByLabel('Name').getAttribute('id'),
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('works at 375 px wide', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await page.getByRole('heading', { name: 'API Keys' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('keys-mobile');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Usage' }).waitFor();
    await shot('nav-mobile');
  });

  it('ran every page above under the dashboard CSP without a violation', () => {
    expect(running.cspViolations).toEqual([]);
  });
});
