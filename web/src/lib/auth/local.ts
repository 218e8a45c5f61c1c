/** Built-in sign-in: better-auth at /api/auth/*, an HttpOnly cookie session (no bearer). */
import { api } from '../api';
import type { AuthProviderResponse } from '../types';
import type { AuthClient } from './types';

export function localAuth(config: AuthProviderResponse): AuthClient {
  const signIn = async (email: string, password: string) => {
    await api('/api/auth/sign-in/email', { method: 'POST', body: { email, password } });
  };
  return {
    provider: 'local',
    label: 'Portal',
    signIn,
    async signUp(name, email, password) {
      await api('/api/auth/sign-up/email', { method: 'POST', body: { name, email, password } });
      // Sign-up answers the same whether or not the email was taken, and never signs in by itself.
      if (config.emailVerification) return { signedIn: false, sentTo: email };
      await signIn(email, password);
      return { signedIn: true };
    },
    async requestPasswordReset(email) {
      await api('/api/auth/request-password-reset', {
        method: 'POST',
        body: { email, redirectTo: '/reset-password' },
      });
    },
    async resetPassword(newPassword, token) {
      await api('/api/auth/reset-password', { method: 'POST', body: { newPassword, token } });
    },
    getToken: async () => null,
    async signOut() {
      await api('/api/auth/sign-out', { method: 'POST', body: {} });
    },
    accountUrl: () => null,
  };
}
