/**
 * Supabase Auth through `@supabase/supabase-js` (loaded only in Supabase mode): email + password, magic
 * link, password reset and the project's OAuth providers. The client keeps the session in localStorage,
 * refreshes the access token before it expires (and `getSession()` refreshes one that is about to), and
 * reads sessions arriving in a link's URL fragment (implicit flow).
 */
import { createClient } from '@supabase/supabase-js';
import type { AuthClient } from './types';

export function supabaseAuth(settings: {
  url: string;
  anonKey: string;
  oauthProviders: string[];
}): AuthClient {
  const { auth } = createClient(settings.url, settings.anonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true, flowType: 'implicit' },
  });
  const origin = window.location.origin;
  const check = <T extends { error: { message: string } | null }>(result: T): T => {
    if (result.error) throw new Error(result.error.message);
    return result;
  };
  return {
    provider: 'supabase',
    label: 'Supabase Auth',
    async signIn(email, password) {
      check(await auth.signInWithPassword({ email, password }));
    },
    async signUp(name, email, password) {
      const { data } = check(
        await auth.signUp({
          email,
          password,
          options: { data: { name }, emailRedirectTo: `${origin}/keys` },
        }),
      );
      return data.session ? { signedIn: true } : { signedIn: false, sentTo: email };
    },
    async requestPasswordReset(email) {
      check(await auth.resetPasswordForEmail(email, { redirectTo: `${origin}/reset-password` }));
    },
    async resetPassword(password) {
      check(await auth.updateUser({ password }));
    },
    async changePassword(password) {
      check(await auth.updateUser({ password }));
    },
    async getToken() {
      const { data } = await auth.getSession();
      return data.session?.access_token ?? null;
    },
    async signOut() {
      check(await auth.signOut());
    },
    accountUrl: () => null,
    async sendMagicLink(email) {
      check(await auth.signInWithOtp({ email, options: { emailRedirectTo: `${origin}/keys` } }));
    },
    oauthProviders: settings.oauthProviders,
    async signInWithOAuth(provider) {
      check(
        await auth.signInWithOAuth({
          provider: provider as never,
          options: { redirectTo: `${origin}/keys` },
        }),
      );
    },
  };
}
