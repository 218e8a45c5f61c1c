import { lazy, Suspense, useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Shell } from './components/Shell';
import { ErrorState, Loading } from './components/States';
import { api, ApiError } from './lib/api';
import { navigate, usePath } from './lib/router';
import type { Account } from './lib/types';
import { isDocsPath } from './docs/paths';
import { KeysPage } from './pages/Keys';
import { PlanPage } from './pages/Plan';
import { ProfilePage } from './pages/Profile';
import { ForgotPassword, ResetPassword } from './pages/ResetPassword';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { UsagePage } from './pages/Usage';

// The docs (Markdown renderer and pages) load only when someone opens them.
const DocsSite = lazy(() => import('./docs/DocsSite'));

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
};

export function App() {
  const path = usePath();
  const queryClient = useQueryClient();
  const account = useQuery({
    queryKey: ['account'],
    queryFn: () => api<Account>('/api/account'),
    retry: (n, err) => !(err instanceof ApiError && err.status === 401) && n < 2,
  });
  const signedOut = account.error instanceof ApiError && account.error.status === 401;
  const isPublic = PUBLIC.includes(path);
  const docs = isDocsPath(path);

  useEffect(() => {
    if (!docs) document.title = `${TITLES[path] ?? 'Portal'} · Portal`;
  }, [path, docs]);
  useEffect(() => {
    if (docs) return; // the docs are public, signed in or not
    if (signedOut && !isPublic) navigate('/sign-in', { replace: true });
    if (account.data && (isPublic || path === '/')) navigate('/keys', { replace: true });
    if (account.data && !isPublic && !TITLES[path] && path !== '/') navigate('/keys', { replace: true });
  }, [signedOut, isPublic, account.data, path, docs]);

  async function signOut() {
    await api('/api/auth/sign-out', { method: 'POST', body: {} }).catch(() => undefined);
    queryClient.clear();
    navigate('/sign-in', { replace: true });
    await queryClient.invalidateQueries();
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
      {path === '/usage' && <UsagePage account={data} />}
      {path === '/plan' && <PlanPage account={data} />}
      {path === '/profile' && <ProfilePage account={data} onSignOut={signOut} />}
      {(path === '/keys' || !TITLES[path] || PUBLIC.includes(path)) && <KeysPage account={data} />}
    </Shell>
  );
}
