import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import { navigate } from '../lib/router';
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
      await api('/api/auth/sign-up/email', {
        method: 'POST',
        body: { name: form.name.trim(), email: form.email.trim(), password: form.password },
      });
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
      <form onSubmit={submit} noValidate>
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
          hint="At least 8 characters."
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
