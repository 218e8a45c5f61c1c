import type { ReactNode } from 'react';
import { ProviderMount } from '../components/ProviderMount';

export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <div className="brand auth-brand">Portal</div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
        {children}
      </div>
    </main>
  );
}

/** A page that is one of the provider's own components (Clerk's <SignIn/> or <SignUp/>) under Portal's name. */
export function ProviderAuthPage({ mount }: { mount: (node: HTMLDivElement) => () => void }) {
  return (
    <main className="auth" id="main">
      <div className="provider-auth">
        <div className="brand auth-brand">Portal</div>
        <ProviderMount mount={mount} testId="provider-auth" />
      </div>
    </main>
  );
}

export function linkTo(navigate: (to: string) => void, to: string) {
  return (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
}
