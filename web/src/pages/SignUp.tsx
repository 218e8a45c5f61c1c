import { useQueryClient } from '@tanstack/react-query';
import { Form, type Values } from '../components/Form';
import { useAuthClient } from '../lib/auth/context';
import { navigate } from '../lib/router';
import { validateEmail, validateName, validatePassword } from '../lib/validate';
import { AuthLayout, linkTo, ProviderAuthPage } from './AuthLayout';

export const NEW_PASSWORD_HINT = 'At least 10 characters; not a common password.';

/** Create an account: Clerk's own <SignUp/> in Clerk mode; else Portal's form. */
export function SignUp() {
  const auth = useAuthClient();
  return auth.components ? <ProviderAuthPage mount={auth.components.signUp} /> : <PortalSignUp />;
}

function PortalSignUp() {
  const auth = useAuthClient();
  const queryClient = useQueryClient();

  async function signUp(v: Values) {
    const email = v.email!.trim();
    const result = await auth.signUp!(v.name!.trim(), email, v.password!);
    if (!result.signedIn)
      return `We sent a link to ${email}. Open it to confirm your address, then sign in. (If the address already has an account, sign in or reset your password instead.)`;
    await queryClient.invalidateQueries();
    navigate('/keys', { replace: true });
  }

  return (
    <AuthLayout title="Create your account" subtitle="Get an API key for open models in under a minute.">
      <Form
        variant="auth"
        fields={[
          { name: 'name', label: 'Name', autoComplete: 'name' },
          { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' },
          {
            name: 'password',
            label: 'Password',
            type: 'password',
            autoComplete: 'new-password',
            hint: NEW_PASSWORD_HINT,
          },
        ]}
        validate={(v) => ({
          name: validateName(v.name!),
          email: validateEmail(v.email!),
          password: validatePassword(v.password!),
        })}
        onSubmit={signUp}
        submitLabel="Create account"
        busyLabel="Creating account…"
      />
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
