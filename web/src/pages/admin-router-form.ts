/**
 * The add / edit router form: its fields, their checks and the request body they make. The secret is a
 * reference (an environment variable's name), never the router's key itself.
 */
// With extensions: the server's tests import this module too (test/product/admin-router-form.test.ts).
import type { FieldSpec } from '../components/field-spec.js';
import type { RouterView } from '../lib/types.js';

type Values = Record<string, string>;

/** What is wrong with a router URL, or null: http(s), and no key, query or fragment in it. */
function urlProblem(url: URL | null): string | null {
  if (!url || !/^https?:$/.test(url.protocol)) return 'Enter the router’s http(s) URL.';
  if (url.username || url.password || url.search || url.hash)
    return 'No credentials, query or fragment in the URL: put the key in the secret reference.';
  return null;
}

const positiveInt = (s: string) => /^\d+$/.test(s.trim()) && Number(s) >= 1;

export function routerForm(existing: RouterView | null) {
  const fields: FieldSpec[] = [
    ...(existing
      ? []
      : [
          {
            name: 'id',
            label: 'Router ID (optional)',
            hint: 'Lowercase letters, digits, ".", "_" and "-"; made up when empty.',
          },
        ]),
    { name: 'url', label: 'URL', type: 'url', placeholder: 'http://10.0.0.5:5010' },
    {
      name: 'secret_ref',
      label: 'Secret reference (optional)',
      placeholder: 'ROUTER_A_KEY',
      hint: 'The environment variable holding the router’s bearer key: its name, not the key.',
    },
    {
      name: 'sessions',
      label: 'Dedicated sessions (optional)',
      placeholder: '12, 13',
      hint: 'Session ids on this router, separated by commas.',
    },
    { name: 'weight', label: 'Weight', inputMode: 'numeric' },
    { name: 'max_concurrency', label: 'Max concurrency', inputMode: 'numeric' },
  ];
  const initial: Values = {
    url: existing?.baseUrl ?? '',
    secret_ref: existing?.authSecretRef ?? '',
    sessions: '',
    weight: String(existing?.weight ?? 1),
    max_concurrency: String(existing?.maxConcurrency ?? 64),
  };
  function validate(v: Values): Record<string, string | null> {
    let url: URL | null;
    try {
      url = new URL((v.url ?? '').trim());
    } catch {
      url = null;
    }
    return {
      id:
        v.id && !/^[a-z0-9][a-z0-9._-]{0,62}$/.test(v.id.trim())
          ? 'Up to 63 lowercase letters, digits, ".", "_" or "-".'
          : null,
      url: urlProblem(url),
      secret_ref:
        v.secret_ref && !/^[A-Z_][A-Z0-9_]{0,127}$/.test(v.secret_ref.trim())
          ? 'An environment variable name: capitals, digits and _.'
          : null,
      sessions:
        v.sessions && !/^\s*\d+(\s*,\s*\d+)*\s*$/.test(v.sessions)
          ? 'Whole numbers separated by commas.'
          : null,
      weight: positiveInt(v.weight ?? '') ? null : 'A whole number of at least 1.',
      max_concurrency: positiveInt(v.max_concurrency ?? '') ? null : 'A whole number of at least 1.',
    };
  }
  function toRequest(v: Values) {
    const sessions = (v.sessions ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    return {
      ...(v.id?.trim() ? { id: v.id.trim() } : {}),
      url: (v.url ?? '').trim(),
      // Emptied on edit: the router no longer sends a key.
      ...(v.secret_ref?.trim() ? { secret_ref: v.secret_ref.trim() } : existing ? { secret_ref: null } : {}),
      ...(sessions.length ? { sessions } : {}),
      weight: Number(v.weight),
      max_concurrency: Number(v.max_concurrency),
      ...(v.reason ? { reason: v.reason } : {}),
    };
  }
  return { fields, initial, validate, toRequest };
}
