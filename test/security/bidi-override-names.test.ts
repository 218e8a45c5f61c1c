/**
 * Finding: key names accepted Unicode bidi overrides and other invisible format characters, so a name could
 * display as something else ("‮yek-dor‬" shows as "rod-key"). Names people see — key names, display names
 * (which also name the personal organization), admin-created users — refuse control (Cc), format (Cf:
 * U+202A–U+202E, U+2066–U+2069, zero-width), separator (Zl, Zp) and lone-surrogate characters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../support/pglite.js';
import type { Store } from '../../src/platform/store/db.js';
import { ADMIN_TOKEN, createTestPortal, type Client, type TestPortal } from '../product/harness.js';

const HOSTILE = [
  ['U+202E right-to-left override', 'invoice\u202Egpj.exe'],
  ['U+202A left-to-right embedding', '\u202Aname'],
  ['U+2066 left-to-right isolate', 'a\u2066b\u2069'],
  ['U+200B zero-width space', 'prod\u200Bkey'],
  ['U+FEFF byte-order mark', 'ke\uFEFFy'],
  ['U+2028 line separator', 'a\u2028b'],
  ['U+0085 next line (C1)', 'a\u0085b'],
  ['a lone surrogate', 'a\uD800b'],
] as const;

let store: Store;
let portal: TestPortal;
let alice: Client;
beforeAll(async () => {
  store = await openTestStore();
  portal = await createTestPortal(store);
  alice = await portal.signUp();
});
afterAll(async () => {
  portal.close();
  await store.close();
});

const errorParam = async (res: Response) => ({
  status: res.status,
  param: ((await res.json()) as { error?: { param?: string } }).error?.param,
});

describe.each(HOSTILE)('a name with %s', (_what, name) => {
  it('is refused for a new key', async () => {
    const res = await alice.req('/api/keys', { method: 'POST', json: { name } });
    expect(await errorParam(res)).toEqual({ status: 400, param: 'name' });
  });

  it('is refused when renaming a key', async () => {
    const created = await alice.req('/api/keys', { method: 'POST', json: { name: 'plain' } });
    const { id } = (await created.json()) as { id: string };
    const res = await alice.req(`/api/keys/${id}`, { method: 'PATCH', json: { name } });
    expect(await errorParam(res)).toEqual({ status: 400, param: 'name' });
    await alice.req(`/api/keys/${id}`, { method: 'DELETE' });
  });

  it('is refused as a display name at sign-up and for an admin-created user', async () => {
    const signUp = await portal.req('/api/auth/sign-up/email', {
      method: 'POST',
      json: { email: `bidi${Math.random()}@example.com`, password: 'correct horse battery', name },
    });
    expect(await errorParam(signUp)).toEqual({ status: 400, param: 'name' });
    const admin = await portal.req('/admin/api/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      json: { email: `bidi${Math.random()}@example.com`, password: 'correct horse battery', name },
    });
    expect(await errorParam(admin)).toEqual({ status: 400, param: 'name' });
  });
});

it('ordinary non-Latin names and emoji are fine', async () => {
  for (const name of ['Schlüssel für CI', 'مفتاح الإنتاج', 'キー 🔑']) {
    const res = await alice.req('/api/keys', { method: 'POST', json: { name } });
    expect(res.status).toBe(201);
    await alice.req(`/api/keys/${((await res.json()) as { id: string }).id}`, { method: 'DELETE' });
  }
});
