/**
 * Finding: key names accepted Unicode bidi overrides and other invisible format characters, so a name could
 * display as something else ("‮yek-dor‬" shows as "rod-key"). Names people see — key names, display names
 * (which also name the personal organization), admin-created users — refuse control (Cc), format (Cf:
 * U+202A–U+202E, U+2066–U+2069, zero-width), separator (Zl, Zp) and lone-surrogate characters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal, type Session } from '../support/harness.js';
import { errorOf } from '../support/http.js';

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

const t = usePortal();
let alice: Session;
beforeAll(async () => {
  alice = await t.signUp();
});

const refusedName = { status: 400, param: 'name' };

describe.each(HOSTILE)('a name with %s', (_what, name) => {
  it('is refused for a new key', async () => {
    expect(await errorOf(await alice.post('/api/keys', { name }))).toMatchObject(refusedName);
  });

  it('is refused when renaming a key', async () => {
    const { id } = await (await alice.post('/api/keys', { name: 'plain' })).json();
    expect(await errorOf(await alice.patch(`/api/keys/${id}`, { name }))).toMatchObject(refusedName);
    await alice.delete(`/api/keys/${id}`);
  });

  it('is refused as a display name at sign-up and for an admin-created user', async () => {
    const user = () => ({
      email: `bidi${Math.random()}@example.com`,
      password: 'correct horse battery',
      name,
    });
    const signUp = await t.anon.post('/api/auth/sign-up/email', user());
    expect(await errorOf(signUp)).toMatchObject(refusedName);
    expect(await errorOf(await t.admin.post('/admin/api/users', user()))).toMatchObject(refusedName);
  });
});

it('ordinary non-Latin names and emoji are fine', async () => {
  for (const name of ['Schlüssel für CI', 'مفتاح الإنتاج', 'キー 🔑']) {
    const res = await alice.post('/api/keys', { name });
    expect(res.status).toBe(201);
    await alice.delete(`/api/keys/${(await res.json()).id}`);
  }
});
