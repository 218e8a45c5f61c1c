import { useState, type ReactNode } from 'react';
import { navigate } from '../lib/router';
import { useAuthClient } from '../lib/auth/context';
import { ProviderMount } from './ProviderMount';
import { SupportLink } from '../docs/Support';
import { DisclosureButton } from './DisclosureButton';
import type { Account } from '../lib/types';

export const NAV = [
  { path: '/keys', label: 'API Keys' },
  { path: '/usage', label: 'Usage' },
  { path: '/plan', label: 'Plan' },
  { path: '/docs', label: 'Docs' },
  { path: '/profile', label: 'Profile' },
] as const;

/** The signed-in account shell: left navigation (a drawer below 720 px) and the page. */
export function Shell({
  account,
  path,
  onSignOut,
  children,
}: {
  account: Account;
  path: string;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const [menuOpen, setMenuOpen] = useState(false);
  const userButton = useAuthClient().components?.userButton;
  const go = (to: string) => (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    setMenuOpen(false);
    navigate(to);
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Portal</span>
        <DisclosureButton open={menuOpen} setOpen={setMenuOpen} controls="sidenav" className="menu-btn">
          Menu
        </DisclosureButton>
      </header>
      <nav id="sidenav" className={menuOpen ? 'sidenav open' : 'sidenav'} aria-label="Account">
        <div className="brand brand-side">Portal</div>
        <div className="org">
          <span className="org-name" title={account.organization.name}>
            {account.organization.name}
          </span>
          <span className="badge">{account.plan.name}</span>
        </div>
        <ul>
          {NAV.map((item) => (
            <li key={item.path}>
              <a
                href={item.path}
                onClick={go(item.path)}
                aria-current={path === item.path ? 'page' : undefined}
                className={path === item.path ? 'nav-link active' : 'nav-link'}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
        {userButton ? (
          // Clerk mode: Clerk's user menu (<UserButton/>: the account page, sign out) beside the address.
          <div className="sidenav-foot sidenav-foot-row">
            <span className="muted small" title={account.user.email}>
              {account.user.email}
            </span>
            <ProviderMount mount={userButton} className="provider-user-button" testId="user-menu" />
          </div>
        ) : (
          <div className="sidenav-foot">
            <span className="muted small" title={account.user.email}>
              {account.user.email}
            </span>
            <button type="button" className="btn btn-small btn-quiet" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        )}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {account.organization.status === 'disabled' && (
          <div className="notice notice-error" role="alert">
            This account is disabled: API requests with its keys are refused. <SupportLink />.
          </div>
        )}
        {account.demo_backend && (
          <p className="demo-note" role="note">
            Demo backend: answers come from a built-in simulator, not a live model.
          </p>
        )}
        {children}
      </main>
    </div>
  );
}
