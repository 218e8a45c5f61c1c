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
  { path: '/requests', label: 'Requests' },
  { path: '/plan', label: 'Plan' },
  { path: '/docs', label: 'Docs' },
  { path: '/profile', label: 'Profile' },
] as const;

/** The operations console's pages: shown to operators (`is_admin`) only. */
export const ADMIN_NAV = [
  { path: '/admin/orgs', label: 'Organizations' },
  { path: '/admin/keys', label: 'Keys' },
  { path: '/admin/models', label: 'Models' },
  { path: '/admin/pools', label: 'Pools & routers' },
  { path: '/admin/requests', label: 'Requests' },
  { path: '/admin/audit', label: 'Audit log' },
  { path: '/admin/metering', label: 'Metering' },
] as const;

/** A nav item is current on its own path and on the pages under it (a request under Requests). */
const isCurrent = (item: string, path: string) => path === item || path.startsWith(`${item}/`);

function NavList({
  items,
  path,
  go,
}: {
  items: ReadonlyArray<{ path: string; label: string }>;
  path: string;
  go: (to: string) => (e: React.MouseEvent) => void;
}) {
  return (
    <ul>
      {items.map((item) => (
        <li key={item.path}>
          <a
            href={item.path}
            onClick={go(item.path)}
            aria-current={isCurrent(item.path, path) ? 'page' : undefined}
            className={isCurrent(item.path, path) ? 'nav-link active' : 'nav-link'}
          >
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

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
        <NavList items={NAV} path={path} go={go} />
        {account.is_admin && (
          <nav aria-labelledby="admin-nav-title" className="admin-nav">
            <h2 id="admin-nav-title" className="nav-section">
              Admin
            </h2>
            <NavList items={ADMIN_NAV} path={path} go={go} />
          </nav>
        )}
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
