import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import { navigate } from '../lib/router';
import type { AuthProviderResponse } from '../lib/types';
import { validateEmail, validatePassword } from '../lib/validate';
import { AuthLayout, linkTo } from './AuthLayout';

function validateName(name: string): string | null {
  if (!name.trim()) return 'Enter your name.';
  if (name.trim().length > 100) return 'Names can be at most 100 characters.';
  if (/[<>]/.test(name)) return 'Names cannot contain "<" or ">".';
  return null;
}

export function SignUp() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next = {
      name: validateName(form.name),
      email: validateEmail(form.email),
      password: validatePassword(form.password),
    };
    setErrors(next);
    if (next.name || next.email || next.password) return;
    setBusy(true);
    try {
      const email = form.email.trim();
      await api('/api/auth/sign-up/email', {
        method: 'POST',
        body: { name: form.name.trim(), email, password: form.password },
      });
      // Sign-up answers the same whether or not the email was taken, and never signs in by itself.
      const { emailVerification } = await api<AuthProviderResponse>('/api/auth/provider');
      if (emailVerification) return setSentTo(email);
      await api('/api/auth/sign-in/email', { method: 'POST', body: { email, password: form.password } });
      await queryClient.invalidateQueries();
      navigate('/keys', { replace: true });
    } catch (err) {
      setErrors({ form: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Create your account" subtitle="Get an API key for open models in under a minute.">
      {sentTo && (
        <Notice>
          We sent a link to {sentTo}. Open it to confirm your address, then sign in. (If the address already
          has an account, sign in or reset your password instead.)
        </Notice>
      )}
      <form onSubmit={submit} noValidate hidden={Boolean(sentTo)}>
        {errors.form && <Notice tone="error">{errors.form}</Notice>}
        <Field
          label="Name"
          autoComplete="name"
          value={form.name}
          onChange={set('name')}
          error={errors.name}
          autoFocus
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={errors.email}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={errors.password}
          hint="At least 10 characters; not a common password."
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="auth-links">
        <span>
          Already have an account?{' '}
          <a href="/sign-in" onClick={linkTo(navigate, '/sign-in')}>
            Sign in
          </a>
        </span>
      </p>
    </AuthLayout>
  );
}
