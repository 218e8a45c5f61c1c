import { useQueryClient } from '@tanstack/react-query';
import { Form, type Values } from '../components/Form';
import { useAuthClient } from '../lib/auth/context';
import { api } from '../lib/api';
import type { Account } from '../lib/types';
import type { ComponentProps } from 'react';
import { validateName, validatePassword } from '../lib/validate';
import { ProviderMount } from '../components/ProviderMount';

const PROVIDER_NAMES: Record<Account['auth_provider'], string> = {
  local: 'Portal (email and password)',
  clerk: 'Clerk',
  supabase: 'Supabase Auth',
};

export function ProfilePage({ account, onSignOut }: { account: Account; onSignOut: () => void }) {
  const auth = useAuthClient();
  const accountUrl = auth.accountUrl();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Profile</h1>
          <p className="muted">Your sign-in details.</p>
        </div>
      </div>
      {account.auth_provider === 'local' ? <NameCard account={account} /> : null}
      <section className="card">
        <h2>Sign-in</h2>
        <p>
          Signed in as <strong>{account.user.email}</strong> with{' '}
          <strong>{PROVIDER_NAMES[account.auth_provider]}</strong>.
        </p>
        {accountUrl && (
          <p>
            Change your email or password in your <a href={accountUrl}>{auth.label} account</a>.
          </p>
        )}
        <button type="button" className="btn" onClick={onSignOut}>
          Sign out
        </button>
      </section>
      {account.auth_provider === 'clerk' && auth.components && !accountUrl && (
        // Clerk's own <UserProfile/> (email addresses, password, sessions) when no Account Portal is set.
        <section className="card provider-profile">
          <ProviderMount mount={auth.components.userProfile} testId="provider-profile" />
        </section>
      )}
      {account.auth_provider === 'local' && <PasswordCard />}
      {account.auth_provider === 'supabase' && auth.changePassword && (
        <NewPasswordCard change={auth.changePassword} />
      )}
    </>
  );
}

/** One card of the page: its title over one form. */
function FormCard({ title, ...form }: { title: string } & ComponentProps<typeof Form>) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <Form {...form} />
    </section>
  );
}

function NameCard({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  async function save(v: Values) {
    await api('/api/auth/update-user', { method: 'POST', body: { name: v.name!.trim() } });
    await queryClient.invalidateQueries({ queryKey: ['account'] });
    return 'Saved.';
  }
  return (
    <FormCard
      title="Account"
      fields={[
        { name: 'name', label: 'Name', autoComplete: 'name' },
        {
          name: 'email',
          label: 'Email',
          readOnly: true,
          disabled: true,
          hint: 'Contact support to change your email.',
        },
      ]}
      initial={{ name: account.user.name, email: account.user.email }}
      validate={(v) => ({ name: validateName(v.name!) })}
      onSubmit={save}
      submitLabel="Save"
    />
  );
}

function PasswordCard() {
  async function change(v: Values) {
    await api('/api/auth/change-password', {
      method: 'POST',
      body: { currentPassword: v.current, newPassword: v.next, revokeOtherSessions: true },
    });
    return 'Password changed.';
  }
  return (
    <FormCard
      title="Password"
      fields={[
        { name: 'current', label: 'Current password', type: 'password', autoComplete: 'current-password' },
        {
          name: 'next',
          label: 'New password',
          type: 'password',
          autoComplete: 'new-password',
          hint: 'At least 10 characters; not a common password. Other sessions are signed out.',
        },
      ]}
      validate={(v) => ({
        current: v.current ? null : 'Enter your current password.',
        next: validatePassword(v.next!),
      })}
      onSubmit={change}
      submitLabel="Change password"
    />
  );
}

/** Supabase Auth has no hosted account page: a signed-in user sets a new password through the SDK. */
function NewPasswordCard({ change }: { change: (password: string) => Promise<void> }) {
  return (
    <FormCard
      title="Password"
      fields={[{ name: 'next', label: 'New password', type: 'password', autoComplete: 'new-password' }]}
      validate={(v) => ({ next: validatePassword(v.next!) })}
      onSubmit={async (v) => {
        await change(v.next!);
        return 'Password changed.';
      }}
      submitLabel="Change password"
    />
  );
}
