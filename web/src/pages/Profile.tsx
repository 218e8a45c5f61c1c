import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import type { Account } from '../lib/types';
import { validatePassword } from '../lib/validate';

export function ProfilePage({ account, onSignOut }: { account: Account; onSignOut: () => void }) {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Profile</h1>
          <p className="muted">Your sign-in details.</p>
        </div>
      </div>
      <NameCard account={account} />
      {account.auth_provider === 'local' && <PasswordCard />}
      <section className="card">
        <h2>Session</h2>
        <p className="muted">Signed in as {account.user.email}.</p>
        <button type="button" className="btn" onClick={onSignOut}>
          Sign out
        </button>
      </section>
    </>
  );
}

function NameCard({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(account.user.name);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const trimmed = name.trim();
    const problem = !trimmed
      ? 'Enter your name.'
      : trimmed.length > 100
        ? 'Names can be at most 100 characters.'
        : /[<>]/.test(trimmed)
          ? 'Names cannot contain "<" or ">".'
          : null;
    setError(problem);
    if (problem) return;
    try {
      await api('/api/auth/update-user', { method: 'POST', body: { name: trimmed } });
      await queryClient.invalidateQueries({ queryKey: ['account'] });
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <section className="card">
      <h2>Account</h2>
      <form onSubmit={submit} noValidate className="narrow">
        <Field
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error}
          autoComplete="name"
        />
        <Field
          label="Email"
          value={account.user.email}
          readOnly
          disabled
          hint="Contact support to change your email."
        />
        {saved && <Notice>Saved.</Notice>}
        <button type="submit" className="btn btn-primary">
          Save
        </button>
      </form>
    </section>
  );
}

function PasswordCard() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<{ current?: string | null; next?: string | null; form?: string }>({});
  const [done, setDone] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    const found = { current: current ? null : 'Enter your current password.', next: validatePassword(next) };
    setErrors(found);
    if (found.current || found.next) return;
    try {
      await api('/api/auth/change-password', {
        method: 'POST',
        body: { currentPassword: current, newPassword: next, revokeOtherSessions: true },
      });
      setCurrent('');
      setNext('');
      setDone(true);
    } catch (err) {
      setErrors({ form: errorMessage(err) });
    }
  }
  return (
    <section className="card">
      <h2>Password</h2>
      <form onSubmit={submit} noValidate className="narrow">
        {errors.form && <Notice tone="error">{errors.form}</Notice>}
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.current}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={errors.next}
          hint="At least 10 characters; not a common password. Other sessions are signed out."
        />
        {done && <Notice>Password changed.</Notice>}
        <button type="submit" className="btn btn-primary">
          Change password
        </button>
      </form>
    </section>
  );
}
