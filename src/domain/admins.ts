/**
 * Who is an admin (docs/decisions/020-admins-as-people.md): a user whose stored `is_admin` is true (`portal
 * users create --admin`), or whose email is listed in the config's `admin.emails`. Decided on every request
 * from the current row and config, never cached or written back, so removing an email from the config takes
 * admin away at the next request. A disabled user is never an admin.
 *
 * @example
 *   isAdminUser({ email: 'Ops@Example.com', isAdmin: false, status: 'active' }, ['ops@example.com']) // true
 */
export interface AdminCandidate {
  email: string;
  isAdmin: boolean;
  status: 'active' | 'disabled';
}

export function isAdminUser(user: AdminCandidate, adminEmails: readonly string[]): boolean {
  if (user.status !== 'active') return false;
  if (user.isAdmin) return true;
  const email = user.email.trim().toLowerCase();
  return adminEmails.some((e) => e.toLowerCase() === email);
}
