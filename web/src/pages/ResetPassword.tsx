import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import { navigate } from '../lib/router';
import { validateEmail, validatePassword } from '../lib/validate';
import { AuthLayout, linkTo } from './AuthLayout';

/** Step 1: ask for a reset link (sent to the mail outbox). */
export function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validateEmail(email);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await api('/api/auth/request-password-reset', {
        method: 'POST',
        body: { email: email.trim(), redirectTo: '/reset-password' },
      });
      setSent(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Reset your password" subtitle="We will email you a link to choose a new password.">
      {sent ? (
        <Notice>
          If an account exists for {email.trim()}, a reset link is on its way. It works for one hour.
        </Notice>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={error}
            autoFocus
          />
          <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send reset link'}
          </button>
        </form>
      )}
      <p className="auth-links">
        <a href="/sign-in" onClick={linkTo(navigate, '/sign-in')}>
          Back to sign in
        </a>
      </p>
    </AuthLayout>
  );
}

/** Step 2: the link from the mail lands here with ?token=…; choose the new password. */
export function ResetPassword() {
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(
    params.get('error') ? 'This reset link is invalid or has expired.' : null,
  );
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validatePassword(password);
    setError(problem);
    if (problem || !token) return;
    try {
      await api('/api/auth/reset-password', { method: 'POST', body: { newPassword: password, token } });
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <AuthLayout title="Choose a new password">
      {done ? (
        <Notice>Your password was changed. Sign in with the new one.</Notice>
      ) : !token ? (
        <Notice tone="error">This reset link is incomplete. Ask for a new one.</Notice>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error}
            hint="At least 10 characters; not a common password."
            autoFocus
          />
          <button className="btn btn-primary btn-block" type="submit">
            Set password
          </button>
        </form>
      )}
      <p className="auth-links">
        <a href="/sign-in" onClick={linkTo(navigate, '/sign-in')}>
          Back to sign in
        </a>
      </p>
    </AuthLayout>
  );
}
