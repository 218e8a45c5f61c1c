import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import { navigate } from '../lib/router';
import type { AuthProviderResponse } from '../lib/types';
import { validateEmail } from '../lib/validate';
import { AuthLayout, linkTo } from './AuthLayout';

export function SignIn() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string | null; password?: string | null; form?: string }>(
    {},
  );
  const [busy, setBusy] = useState(false);
  const provider = useQuery({
    queryKey: ['auth-provider'],
    queryFn: () => api<AuthProviderResponse>('/api/auth/provider'),
    staleTime: Infinity,
  });
  const external = provider.data && provider.data.provider !== 'local' ? provider.data.provider : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next = { email: validateEmail(email), password: password ? null : 'Enter your password.' };
    setErrors(next);
    if (next.email || next.password) return;
    setBusy(true);
    try {
      await api('/api/auth/sign-in/email', { method: 'POST', body: { email: email.trim(), password } });
      await queryClient.invalidateQueries();
      navigate('/keys', { replace: true });
    } catch (err) {
      setErrors({ form: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to manage your API keys and usage.">
      {external ? (
        <Notice>
          Sign-in is handled by {external === 'clerk' ? 'Clerk' : 'Supabase Auth'}. Sign in there, then come
          back: this dashboard uses that session.
        </Notice>
      ) : (
        <>
          <form onSubmit={submit} noValidate>
            {errors.form && <Notice tone="error">{errors.form}</Notice>}
            <Field
              label="Email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={errors.email}
              autoFocus
            />
            <Field
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.password}
            />
            <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
          <p className="auth-links">
            <a href="/forgot-password" onClick={linkTo(navigate, '/forgot-password')}>
              Forgot password?
            </a>
            <span>
              New to Portal?{' '}
              <a href="/sign-up" onClick={linkTo(navigate, '/sign-up')}>
                Create an account
              </a>
            </span>
          </p>
        </>
      )}
    </AuthLayout>
  );
}
