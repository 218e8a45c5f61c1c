import { lazy, Suspense, useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Shell } from './components/Shell';
import { ErrorState, Loading } from './components/States';
import { api, ApiError, setTokenSource } from './lib/api';
import { AuthContext } from './lib/auth/context';
import { loadAuthClient } from './lib/auth/load';
import type { AuthClient } from './lib/auth/types';
import { navigate, usePath } from './lib/router';
import type { Account } from './lib/types';
import { isDocsPath } from './docs/paths';
import { KeysPage } from './pages/Keys';
import { PlanPage } from './pages/Plan';
import { ProfilePage } from './pages/Profile';
import { ForgotPassword, ResetPassword } from './pages/ResetPassword';
import { NotFoundPage } from './pages/NotFound';
import { RequestsPage } from './pages/Requests';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { UsagePage } from './pages/Usage';

// The docs (Markdown renderer and pages) load only when someone opens them.
const DocsSite = lazy(() => import('./docs/DocsSite'));
// The operations console loads only for an operator who opens it.
const AdminSection = lazy(() => import('./pages/AdminSection'));

const PUBLIC = ['/sign-in', '/sign-up', '/forgot-password', '/reset-password'];
const TITLES: Record<string, string> = {
  '/sign-in': 'Sign in',
  '/sign-up': 'Create account',
  '/forgot-password': 'Reset password',
  '/reset-password': 'Reset password',
  '/keys': 'API Keys',
  '/usage': 'Usage',
  '/plan': 'Plan',
  '/profile': 'Profile',
  '/requests': 'Requests',
};

const isAdminPath = (path: string) => path === '/admin' || path.startsWith('/admin/');

/** The tab title of a signed-in path: its page's, "Request" for one request, null for no such page. */
function titleOf(path: string): string | null {
  if (TITLES[path]) return TITLES[path];
  if (/^\/requests\/[^/]+$/.test(path)) return 'Request';
  return null;
}

/** Loads this deployment's sign-in client first (its SDK, in Clerk / Supabase mode), then the account. */
export function App() {
  const auth = useQuery({
    queryKey: ['auth-client'],
    queryFn: loadAuthClient,
    staleTime: Infinity,
    retry: 1,
  });
  if (auth.isLoading) return <Loading />;
  if (!auth.data)
    return (
      <main className="auth">
        <ErrorState error={auth.error} onRetry={() => auth.refetch()} />
      </main>
    );
  return (
    <AuthContext.Provider value={auth.data}>
      <SignedInApp auth={auth.data} />
    </AuthContext.Provider>
  );
}

/** Clerk's components route their steps under their page (/sign-in/factor-one, /profile/security, …). */
const PROVIDER_SUBPATHS = /^\/(sign-in|sign-up|profile)\/./;

function SignedInApp({ auth }: { auth: AuthClient }) {
  const location = usePath();
  const path = auth.components && PROVIDER_SUBPATHS.test(location) ? `/${location.split('/')[1]}` : location;
  const queryClient = useQueryClient();
  setTokenSource(auth.getToken);
  // Clerk's own components sign in and out by themselves: the dashboard follows the provider's session.
  useEffect(
    () =>
      auth.onSessionChange?.((signedIn) => {
        if (!signedIn) queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth-client' });
        void queryClient.invalidateQueries({ queryKey: ['account'] });
      }),
    [auth, queryClient],
  );
  const account = useQuery({
    queryKey: ['account'],
    queryFn: () => api<Account>('/api/account'),
    retry: (n, err) => !(err instanceof ApiError && err.status === 401) && n < 2,
  });
  const signedOut = account.error instanceof ApiError && account.error.status === 401;
  const isPublic = PUBLIC.includes(path);
  const docs = isDocsPath(path);

  const admin = account.data?.is_admin === true && isAdminPath(path);
  useEffect(() => {
    // The console titles its own pages.
    if (!docs && !admin)
      document.title = `${titleOf(path) ?? (account.data ? 'Not found' : 'Portal')} · Portal`;
  }, [path, docs, admin, account.data]);
  useEffect(() => {
    if (docs) return; // the docs are public, signed in or not
    if (signedOut && !isPublic && !account.isFetching) navigate('/sign-in', { replace: true });
    // A provider's recovery link signs in as it lands on /reset-password: the new password comes first.
    // A sign-in provider's own steps (/sign-in/…, /sign-up/…) end on the keys too, not on the 404 page.
    const signInStep = /^\/sign-(in|up)\//.test(path);
    if (account.data && path !== '/reset-password' && (isPublic || path === '/' || signInStep))
      navigate('/keys', { replace: true });
  }, [signedOut, isPublic, account.data, account.isFetching, path, docs]);

  /** Ends the provider's session and Portal's, and forgets everything cached for this user. */
  async function signOut() {
    await auth.signOut().catch(() => undefined);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth-client' });
    navigate('/sign-in', { replace: true });
    await queryClient.invalidateQueries({ queryKey: ['account'] });
  }

  if (docs)
    return (
      <Suspense fallback={<Loading label="Loading the docs…" />}>
        <DocsSite path={path} account={account.data} />
      </Suspense>
    );
  if (path === '/reset-password') return <ResetPassword />;
  if (path === '/forgot-password') return <ForgotPassword />;
  if (signedOut || (isPublic && !account.data)) {
    if (account.isLoading) return <Loading />;
    return path === '/sign-up' ? <SignUp /> : <SignIn />;
  }
  if (account.isLoading) return <Loading label="Loading your account…" />;
  if (account.isError || !account.data)
    return (
      <main className="auth">
        <ErrorState error={account.error} onRetry={() => account.refetch()} />
      </main>
    );
  const data = account.data;
  return (
    <Shell account={data} path={path} onSignOut={signOut}>
      {admin ? (
        <Suspense fallback={<Loading label="Loading the console…" />}>
          <AdminSection path={path} />
        </Suspense>
      ) : (
        <AccountPage account={data} path={path} onSignOut={signOut} />
      )}
    </Shell>
  );
}

/** The signed-in customer's page at `path`; a path no page answers is a 404 (so is /admin for a customer). */
function AccountPage({
  account,
  path,
  onSignOut,
}: {
  account: Account;
  path: string;
  onSignOut: () => void;
}) {
  if (path === '/keys' || path === '/' || PUBLIC.includes(path)) return <KeysPage account={account} />;
  if (path === '/usage') return <UsagePage account={account} />;
  if (path === '/plan') return <PlanPage account={account} />;
  if (path === '/profile') return <ProfilePage account={account} onSignOut={onSignOut} />;
  if (path === '/requests' || /^\/requests\/[^/]+$/.test(path)) return <RequestsPage path={path} />;
  return <NotFoundPage path={path} />;
}
