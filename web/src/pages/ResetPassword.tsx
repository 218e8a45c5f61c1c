import { Form, type Values } from '../components/Form';
import { Notice } from '../components/States';
import { useAuthClient } from '../lib/auth/context';
import { navigate } from '../lib/router';
import { validateEmail, validatePassword } from '../lib/validate';
import { AuthLayout, linkTo } from './AuthLayout';
import { NEW_PASSWORD_HINT } from './SignUp';

const backToSignIn = (
  <p className="auth-links">
    <a href="/sign-in" onClick={linkTo(navigate, '/sign-in')}>
      Back to sign in
    </a>
  </p>
);

/** Step 1: ask for a reset link (mailed by Portal's outbox or by the provider). */
export function ForgotPassword() {
  const auth = useAuthClient();
  if (!auth.requestPasswordReset) return <ResetElsewhere />;
  const request = auth.requestPasswordReset;
  async function send(v: Values) {
    await request(v.email!.trim());
    return `If an account exists for ${v.email!.trim()}, a reset link is on its way. It works for one hour.`;
  }
  return (
    <AuthLayout title="Reset your password" subtitle="We will email you a link to choose a new password.">
      <Form
        variant="auth"
        fields={[{ name: 'email', label: 'Email', type: 'email', autoComplete: 'email' }]}
        validate={(v) => ({ email: validateEmail(v.email!) })}
        onSubmit={send}
        submitLabel="Send reset link"
        busyLabel="Sending…"
      />
      {backToSignIn}
    </AuthLayout>
  );
}

/**
 * Step 2: the mailed link lands here — with ?token=… for built-in auth, or with the provider's recovery
 * session (Supabase reads it from the URL) — and the new password is set.
 */
export function ResetPassword() {
  const auth = useAuthClient();
  if (!auth.resetPassword) return <ResetElsewhere />;
  const reset = auth.resetPassword;
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  const broken = params.get('error') || (auth.provider === 'local' && !token);
  async function save(v: Values) {
    await reset(v.password!, token);
    return 'Your password was changed. Sign in with the new one.';
  }
  return (
    <AuthLayout title="Choose a new password">
      {broken ? (
        <Notice tone="error">
          This reset link is invalid, incomplete or has expired. Ask for a new one.
        </Notice>
      ) : (
        <Form
          variant="auth"
          fields={[
            {
              name: 'password',
              label: 'New password',
              type: 'password',
              autoComplete: 'new-password',
              hint: NEW_PASSWORD_HINT,
            },
          ]}
          validate={(v) => ({ password: validatePassword(v.password!) })}
          onSubmit={save}
          submitLabel="Set password"
        />
      )}
      {backToSignIn}
    </AuthLayout>
  );
}

/** Clerk resets passwords on its own pages (email code flow); Portal links there. */
function ResetElsewhere() {
  const auth = useAuthClient();
  const where = auth.hostedSignInUrl ?? auth.accountUrl();
  return (
    <AuthLayout title="Reset your password">
      <Notice>
        Passwords are reset by {auth.label}.{' '}
        {where ? (
          <a href={where}>Open {auth.label}’s sign-in page and choose “Forgot password?”.</a>
        ) : (
          'Ask your administrator for the sign-in page.'
        )}
      </Notice>
      {backToSignIn}
    </AuthLayout>
  );
}
