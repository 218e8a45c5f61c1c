/**
 * One sign-in interface for the three providers, so every page runs the same flows whichever signs people
 * in: built-in (./local.ts), Supabase Auth (./supabase.ts) and Clerk (./clerk.ts). The provider SDKs are
 * loaded only in their mode (./load.ts imports them lazily, each into its own chunk).
 */
import type { AuthProviderResponse } from '../types';

export type ProviderName = AuthProviderResponse['provider'];

export interface SignUpResult {
  /** Signed in already; else the address a confirmation link was mailed to. */
  signedIn: boolean;
  sentTo?: string;
}

export interface AuthClient {
  provider: ProviderName;
  /** The person-facing name: "Portal", "Clerk", "Supabase Auth". */
  label: string;
  /** Portal's sign-in / sign-up forms call these; absent when the provider's own components do it (Clerk). */
  signIn?(email: string, password: string): Promise<void>;
  signUp?(name: string, email: string, password: string): Promise<SignUpResult>;
  /** Mails a link to choose a new password; it lands on /reset-password. Absent: the provider's own page
   * resets passwords (Clerk: `hostedSignInUrl`). */
  requestPasswordReset?(email: string): Promise<void>;
  /** Sets a new password on the reset page (`token` from the link, for built-in auth). */
  resetPassword?(password: string, token: string | null): Promise<void>;
  /** The bearer for /api/* (fresh: the SDK refreshes it before expiry), or null with cookie sessions. */
  getToken(): Promise<string | null>;
  /** Ends the provider's session (and Portal's cookie session for built-in auth). */
  signOut(): Promise<void>;
  /** The provider's own account page for email and password changes, when it has one. */
  accountUrl(): string | null;
  /** Supabase: email a one-time sign-in link. */
  sendMagicLink?(email: string): Promise<void>;
  /** Supabase: OAuth providers enabled for the project, and how to start one (leaves the page). */
  oauthProviders?: string[];
  signInWithOAuth?(provider: string): Promise<void>;
  /** Clerk: its hosted sign-in page (Account Portal), when configured. */
  hostedSignInUrl?: string | null;
  /** Clerk: its prebuilt components, each mounted into a node (the returned function unmounts it). The
   * pages mount them instead of Portal's forms; the shell shows `userButton` as the user menu. */
  components?: Record<
    'signIn' | 'signUp' | 'userButton' | 'userProfile',
    (node: HTMLDivElement) => () => void
  >;
  /** Clerk: calls `listener` when the provider's session starts (true) or ends (false) on its own — after
   * its sign-in component completes, or a sign-out from its user menu. Returns the unsubscribe. */
  onSessionChange?(listener: (signedIn: boolean) => void): () => void;
  /** Set a new password while signed in (Supabase; built-in auth uses its own form with the current one). */
  changePassword?(password: string): Promise<void>;
}
