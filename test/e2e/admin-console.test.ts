/**
 * The operations console (issue #15) and the customer's Requests page in a real browser (Debian Chromium
 * driven by playwright-core) against a real Portal with a simulator pool. An operator (signed up in the
 * browser, made an operator by `admin.emails`) walks every console page and disables and enables a key,
 * drains and undrains a pool, adds and removes a router, opens a request's full record and reads the audit
 * entries those actions left; a customer finds their own /v1 call on Requests by its x-request-id; and every
 * /admin page is a 404 for the customer. Writes screenshots to docs/screenshots/admin-*.png and requests-*.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  fillSignUp,
  openBrowser,
  SCREENSHOTS as SHOTS,
  startBrowserPortal,
  type BrowserPortal,
  type TestBrowser,
} from '../support/browser.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import { describeWith } from '../support/services.js';

const RUN = Date.now();
const ADMIN = { name: 'Olive Operator', email: `ops-${RUN}@example.com`, password: 'ops-password-123' };
const CUSTOMER = { name: 'Cas Customer', email: `cas-${RUN}@example.com`, password: 'cas-password-123' };
const ADMIN_PAGES = ['orgs', 'keys', 'models', 'pools', 'requests', 'audit', 'metering'];

describeWith(['chromium'], 'operations console and customer Requests in a real browser', () => {
  let running: BrowserPortal;
  let portal: BrowserPortal['portal'];
  let admin: Page;
  let customerBrowser: TestBrowser;
  let customer: Page;
  let key = '';
  let keyPrefix = '';
  let requestId = '';
  let failedId = '';

  beforeAll(async () => {
    running = await startBrowserPortal({
      viewport: { width: 1280, height: 900 },
      portal: { config: { admin: { token: ADMIN_TOKEN, emails: [ADMIN.email] } } },
    });
    ({ portal, page: admin } = running);
    customerBrowser = await openBrowser({ baseURL: running.baseURL, viewport: { width: 1280, height: 900 } });
    customer = customerBrowser.page;
  }, 120_000);

  afterAll(async () => {
    await customerBrowser?.close();
    await running?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** A dialog is shot in the viewport: a full-page shot would stop its backdrop at the window's height. */
  const dialogShot = (name: string) => admin.screenshot({ path: join(SHOTS, `${name}.png`) });
  const adminNav = () => admin.getByRole('navigation', { name: 'Admin' });
  /** Opens a console page from the Admin navigation and waits for its heading and its data. */
  async function openAdmin(label: string, heading = label) {
    await adminNav().getByRole('link', { name: label }).click();
    await admin.getByRole('heading', { level: 1, name: heading }).waitFor();
    await admin.waitForLoadState('networkidle');
  }
  /** Confirms the open dialog with a reason. */
  async function confirmWith(title: string | RegExp, button: string, reason: string) {
    const dialog = admin.getByRole('dialog', { name: title });
    await dialog.getByRole('button', { name: button }).click();
    await dialog.getByText('Give a reason: it is recorded in the audit log.').waitFor();
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  it('a customer signs up, creates a key and calls /v1; the console is not in their navigation', async () => {
    await customer.goto('/sign-up');
    await fillSignUp(customer, CUSTOMER);
    await customer.getByRole('button', { name: 'Create account' }).click();
    await customer.getByRole('heading', { name: 'Create your first API key' }).waitFor();
    expect(await customer.getByRole('navigation', { name: 'Admin' }).count()).toBe(0);
    const created = await customer.request.post('/api/keys', {
      data: { name: 'backend' },
      headers: { origin: running.baseURL },
    });
    expect(created.status()).toBe(201);
    ({ key } = (await created.json()) as { key: string });
    keyPrefix = key.slice(0, 10);
    const res = await portal.as(key).post('/v1/chat/completions', chatBody());
    expect(res.status).toBe(200);
    requestId = res.headers.get('x-request-id') ?? '';
    expect(requestId).not.toBe('');
    const failed = await portal
      .as(key)
      .post('/v1/chat/completions', chatBody({ model: 'oss-120b', max_tokens: 0 }));
    expect(failed.status).toBe(400);
    failedId = failed.headers.get('x-request-id') ?? '';
  });

  it('the customer finds the call on Requests and opens it by its x-request-id', async () => {
    await customer.reload();
    await customer
      .getByRole('navigation', { name: 'Account' })
      .getByRole('link', { name: 'Requests' })
      .click();
    await customer.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const row = customer.getByRole('row').filter({ hasText: requestId });
    await expect
      .poll(async () => {
        await customer.getByRole('button', { name: 'Apply filters' }).click();
        return row.count();
      })
      .toBe(1);
    await expect.poll(() => row.textContent()).toContain('oss-20b');
    await customer.getByLabel('Status').fill('400');
    await customer.getByRole('button', { name: 'Apply filters' }).click();
    expect(new URL(customer.url()).searchParams.get('status')).toBe('400');
    const failedRow = customer.getByRole('row').filter({ hasText: failedId });
    await failedRow.getByText('invalid_request_error').waitFor();
    expect(await row.count()).toBe(0);
    await shot(customer, 'requests-failed');
    await customer.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();
    await shot(customer, 'requests');
    await customer.getByLabel('Request ID').fill(requestId);
    await customer.getByRole('button', { name: 'Find request' }).click();
    const details = customer.getByRole('region', { name: 'Request details' });
    await details.getByText(requestId).waitFor();
    await details.getByText('/v1/chat/completions').waitFor();
    expect(new URL(customer.url()).pathname).toBe(`/requests/${requestId}`);
    await shot(customer, 'requests-detail');
  });

  it('the Requests page works at 375 px wide', async () => {
    await customer.setViewportSize({ width: 375, height: 812 });
    await customer.goto('/requests');
    await customer.getByRole('row').filter({ hasText: requestId }).waitFor();
    const overflow = await customer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(customer, 'requests-mobile');
    await customer.setViewportSize({ width: 1280, height: 900 });
  });

  it('every /admin page is a 404 for a customer, in the dashboard and the API', async () => {
    for (const name of [...ADMIN_PAGES, 'orgs/org_x', 'requests/req_x']) {
      await customer.goto(`/admin/${name}`);
      await customer.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    }
    await shot(customer, 'admin-not-found');
    for (const path of ['/admin/api/orgs', '/admin/api/pools', '/admin/api/audit'])
      expect((await customer.request.get(path)).status(), path).toBe(404);
  });

  it('an operator signs up and sees the Admin section; Organizations finds the customer', async () => {
    await admin.goto('/sign-up');
    await fillSignUp(admin, ADMIN);
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.getByRole('heading', { name: 'Create your first API key' }).waitFor();
    await openAdmin('Organizations');
    await admin.getByLabel('Search').fill(CUSTOMER.email);
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    expect(new URL(admin.url()).searchParams.get('q')).toBe(CUSTOMER.email);
    const row = admin.getByRole('row').filter({ hasText: CUSTOMER.email });
    await row.waitFor();
    await admin.waitForLoadState('networkidle');
    await shot(admin, 'admin-orgs');
    await row.getByRole('link').first().click();
    await admin.getByRole('heading', { level: 2, name: 'Live limit windows' }).waitFor();
    await admin.getByRole('table', { name: 'Keys' }).getByText('backend').waitFor();
    await admin.waitForLoadState('networkidle');
    await shot(admin, 'admin-org');
  });

  it('moves the customer to a credits plan and grants credit, each with a reason', async () => {
    await admin.getByRole('button', { name: 'Change plan' }).click();
    const plan = admin.getByRole('dialog', { name: /Change .* plan/ });
    await plan.getByLabel('Plan').selectOption({ label: 'Pay as you go' });
    await plan.getByLabel('Reason').fill('e2e: moved to prepaid');
    await plan.getByRole('button', { name: 'Change plan' }).click();
    await plan.waitFor({ state: 'hidden' });
    const facts = admin.getByRole('region', { name: 'Organization' });
    await facts.getByText('Pay as you go').waitFor();

    await admin.getByRole('button', { name: 'Grant credits' }).click();
    const grant = admin.getByRole('dialog', { name: /Grant credits/ });
    await grant.getByLabel('Amount (USD)').fill('-3');
    await grant.getByLabel('Reason').fill('e2e: goodwill');
    await grant.getByRole('button', { name: 'Grant credits' }).click();
    await grant.getByText('A positive amount in dollars, e.g. 25 or 12.50.').waitFor();
    await grant.getByLabel('Amount (USD)').fill('12.50');
    await grant.getByLabel('Ledger line').fill('Welcome credit');
    await dialogShot('admin-org-grant');
    await grant.getByRole('button', { name: 'Grant credits' }).click();
    await grant.waitFor({ state: 'hidden' });
    await facts.getByText('$12.50').waitFor();
    await admin.getByRole('table').filter({ hasText: 'Welcome credit' }).waitFor();
  });

  it('disables the organization with a reason (its keys are refused) and enables it again', async () => {
    const facts = admin.getByRole('region', { name: 'Organization' });
    await admin.getByRole('button', { name: 'Disable organization' }).click();
    await confirmWith(/^Disable .*\?$/, 'Disable organization', 'e2e: unpaid invoice');
    await facts.getByText('e2e: unpaid invoice').waitFor();
    const refused = await portal.as(key).post('/v1/chat/completions', chatBody());
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('account_disabled');
    await admin.getByRole('button', { name: 'Enable organization' }).click();
    await confirmWith(/^Enable .*\?$/, 'Enable organization', 'e2e: invoice paid');
    await admin.getByRole('button', { name: 'Disable organization' }).waitFor();
    await expect
      .poll(async () => (await portal.as(key).post('/v1/chat/completions', chatBody())).status)
      .toBe(200);
  });

  it('disables and enables the customer key with a reason; the gateway follows', async () => {
    await openAdmin('Keys');
    await admin.getByLabel('Key prefix').fill(keyPrefix);
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await admin.getByRole('button', { name: 'Disable backend' }).click();
    await dialogShot('admin-key-disable-confirm');
    await confirmWith('Disable key?', 'Disable key', 'e2e: suspected leak');
    await admin.getByRole('row').filter({ hasText: 'backend' }).getByText('disabled').waitFor();
    await expect
      .poll(async () => (await portal.as(key).post('/v1/chat/completions', chatBody())).status)
      .toBe(403);
    await shot(admin, 'admin-keys');
    await admin.getByRole('button', { name: 'Enable backend' }).click();
    await confirmWith('Enable key?', 'Enable key', 'e2e: rotated upstream');
    await admin.getByRole('row').filter({ hasText: 'backend' }).getByText('active').waitFor();
    await expect
      .poll(async () => (await portal.as(key).post('/v1/chat/completions', chatBody())).status)
      .toBe(200);
  });

  it('shows the model catalog with prices and pools; disables and enables a model with a reason', async () => {
    await openAdmin('Models');
    const row = admin.getByRole('row').filter({ hasText: 'oss-20b' }).first();
    await row.getByText('test-pool').waitFor();
    await shot(admin, 'admin-models');
    await admin.getByRole('button', { name: 'Disable qwen' }).click();
    await confirmWith('Disable qwen?', 'Disable model', 'e2e: bad outputs');
    await admin.getByRole('button', { name: 'Enable qwen' }).waitFor();
    await expect
      .poll(async () => {
        const res = await portal.as(key).post('/v1/chat/completions', chatBody({ model: 'qwen' }));
        return ((await res.json()) as { error?: { code: string } }).error?.code;
      })
      .toBe('model_disabled');
    await admin.getByRole('button', { name: 'Enable qwen' }).click();
    await confirmWith('Enable qwen?', 'Enable model', 'e2e: fixed');
    await admin.getByRole('button', { name: 'Disable qwen' }).waitFor();
  });

  it('drains and undrains a pool, adds a router and removes it', async () => {
    await openAdmin('Pools & routers');
    const pool = admin.getByRole('region', { name: /test-pool/ });
    await pool.getByRole('button', { name: 'Drain pool test-pool' }).click();
    await confirmWith('Drain pool test-pool?', 'Drain pool', 'e2e: maintenance window');
    await pool.getByRole('button', { name: 'Undrain pool test-pool' }).waitFor();
    await pool.getByRole('button', { name: 'Undrain pool test-pool' }).click();
    await confirmWith('Undrain pool test-pool?', 'Undrain pool', 'e2e: maintenance done');
    await pool.getByRole('button', { name: 'Drain pool test-pool' }).waitFor();

    await pool.getByRole('button', { name: 'Add router' }).click();
    const add = admin.getByRole('dialog', { name: 'Add a router to test-pool' });
    await add.getByLabel('Router ID (optional)').fill('e2e-extra');
    await add.getByLabel('URL').fill('not a url');
    await add.getByRole('button', { name: 'Add router' }).click();
    await add.getByText('Enter the router’s http(s) URL.').waitFor();
    await add.getByLabel('URL').fill(portal.sim.url);
    await add.getByLabel('Dedicated sessions (optional)').fill('7, 8');
    await dialogShot('admin-router-add');
    await add.getByRole('button', { name: 'Add router' }).click();
    await add.waitFor({ state: 'hidden' });
    const extra = admin.locator('tr[data-router-id="e2e-extra"]');
    await extra.waitFor();
    await shot(admin, 'admin-pools');
    await extra.getByRole('button', { name: 'Remove router e2e-extra' }).click();
    const remove = admin.getByRole('dialog', { name: 'Remove router e2e-extra?' });
    await remove.getByRole('button', { name: 'Remove router' }).click();
    await extra.waitFor({ state: 'detached' });
  });

  it('finds the customer request and shows its full record', async () => {
    await openAdmin('Requests');
    await admin.getByLabel('Model').fill('oss-20b');
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    expect(new URL(admin.url()).searchParams.get('model')).toBe('oss-20b');
    await admin.getByRole('link', { name: requestId }).click();
    const record = admin.getByRole('region', { name: 'Request record' });
    await record.getByText(requestId).waitFor();
    await record.getByText('test-pool', { exact: true }).waitFor();
    await admin.waitForLoadState('networkidle');
    await shot(admin, 'admin-request');
  });

  it('the audit log shows who did what, when and why', async () => {
    await openAdmin('Audit log');
    for (const reason of [
      'e2e: suspected leak',
      'e2e: rotated upstream',
      'e2e: maintenance window',
      'e2e: moved to prepaid',
      'e2e: goodwill',
    ])
      await admin.getByRole('cell', { name: reason }).waitFor();
    const disabled = admin.getByRole('row').filter({ hasText: 'e2e: suspected leak' });
    expect(await disabled.textContent()).toContain(ADMIN.email);
    await admin.getByLabel('Action').fill('key.disabled');
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(() => admin.getByRole('row').filter({ hasText: 'e2e: rotated upstream' }).count())
      .toBe(0);
    await admin.getByRole('row').filter({ hasText: 'e2e: suspected leak' }).waitFor();
    await admin.getByRole('button', { name: 'Clear' }).click();
    await admin.getByRole('cell', { name: 'e2e: maintenance window' }).waitFor();
    await admin.getByRole('button', { name: 'Before / after' }).first().click();
    await admin.getByRole('heading', { name: 'After' }).waitFor();
    await shot(admin, 'admin-audit');
  });

  it('pages the audit log with a cursor: "Load more" appends the next page', async () => {
    await admin.goto('/admin/audit?limit=3');
    const rows = admin.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const firstPage = await rows.allTextContents();
    await admin.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count()).toBe(6);
    const both = await rows.allTextContents();
    expect(both.slice(0, 3)).toEqual(firstPage);
    const ids = await admin
      .locator('[data-audit-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-audit-id')));
    expect(new Set(ids).size).toBe(6);
  });

  it('shows the metering queue, spool and last flush', async () => {
    await openAdmin('Metering');
    await admin.getByText('Last flush', { exact: true }).first().waitFor();
    await shot(admin, 'admin-metering');
  });

  it('ran every page above under the dashboard CSP without a violation', () => {
    expect(running.cspViolations).toEqual([]);
    expect(customerBrowser.cspViolations).toEqual([]);
  });
});
