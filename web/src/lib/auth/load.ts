/**
 * Picks the sign-in for this deployment from `/api/auth/provider` and loads only that provider's SDK
 * (dynamic imports: Clerk's and Supabase's code never reaches a built-in-auth dashboard).
 */
import { api } from '../api';
import type { AuthProviderResponse } from '../types';
import { localAuth } from './local';
import type { AuthClient } from './types';

export async function loadAuthClient(): Promise<AuthClient> {
  const config = await api<AuthProviderResponse>('/api/auth/provider');
  if (config.provider === 'clerk') {
    const key = config.clerk?.publishableKey;
    if (!key)
      throw new Error('Sign-in is not set up: auth.clerk.publishableKey is missing in the server config.');
    const { clerkAuth } = await import('./clerk');
    return clerkAuth({
      publishableKey: key,
      signInUrl: config.clerk?.signInUrl ?? null,
      proxyUrl: config.clerk?.proxyUrl ?? null,
    });
  }
  if (config.provider === 'supabase') {
    const settings = config.supabase;
    if (!settings?.anonKey)
      throw new Error('Sign-in is not set up: auth.supabase.anonKey is missing in the server config.');
    const { supabaseAuth } = await import('./supabase');
    return supabaseAuth({ ...settings, anonKey: settings.anonKey });
  }
  return localAuth(config);
}
