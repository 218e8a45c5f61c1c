import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Form, type Values } from '../components/Form';
import { useAuthClient } from '../lib/auth/context';
import { navigate } from '../lib/router';
import { validateEmail } from '../lib/validate';
import { AuthLayout, linkTo, ProviderAuthPage } from './AuthLayout';

const EMAIL = { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' };
const PASSWORD = { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password' };
const OAUTH_NAMES: Record<string, string> = {
  github: 'GitHub',
  google: 'Google',
  gitlab: 'GitLab',
  azure: 'Microsoft',
};

/** Sign in: Clerk's own <SignIn/> in Clerk mode; else Portal's form (email + password; Supabase adds a
 * magic link and its OAuth providers). */
export function SignIn() {
  const auth = useAuthClient();
  return auth.components ? <ProviderAuthPage mount={auth.components.signIn} /> : <PortalSignIn />;
}

function PortalSignIn() {
  const auth = useAuthClient();
  const queryClient = useQueryClient();
  const [byLink, setByLink] = useState(false);

  async function signIn(v: Values) {
    await auth.signIn!(v.email!.trim(), v.password!);
    await queryClient.invalidateQueries();
    navigate('/keys', { replace: true });
  }
  async function sendLink(v: Values) {
    await auth.sendMagicLink!(v.email!.trim());
    return `We sent a sign-in link to ${v.email!.trim()}. Open it on this device to sign in.`;
  }

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to manage your API keys and usage.">
      {byLink ? (
        <Form
          key="link"
          variant="auth"
          fields={[EMAIL]}
          validate={(v) => ({ email: validateEmail(v.email!) })}
          onSubmit={sendLink}
          submitLabel="Email me a sign-in link"
          busyLabel="Sending…"
        />
      ) : (
        <Form
          key="password"
          variant="auth"
          fields={[EMAIL, PASSWORD]}
          validate={(v) => ({
            email: validateEmail(v.email!),
            password: v.password ? null : 'Enter your password.',
          })}
          onSubmit={signIn}
          submitLabel="Sign in"
          busyLabel="Signing in…"
        />
      )}
      {auth.sendMagicLink && (
        <button type="button" className="btn btn-block" onClick={() => setByLink(!byLink)}>
          {byLink ? 'Sign in with a password' : 'Email me a sign-in link instead'}
        </button>
      )}
      {auth.oauthProviders?.map((p) => (
        <button key={p} type="button" className="btn btn-block" onClick={() => void auth.signInWithOAuth!(p)}>
          Continue with {OAUTH_NAMES[p] ?? p}
        </button>
      ))}
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
      <p className="muted small">Signing in with {auth.label}.</p>
    </AuthLayout>
  );
}
