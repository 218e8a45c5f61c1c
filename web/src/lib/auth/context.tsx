/** The deployment's sign-in client, given to every page by the App once it has loaded. */
import { createContext, useContext } from 'react';
import type { AuthClient } from './types';

export const AuthContext = createContext<AuthClient | null>(null);

export function useAuthClient(): AuthClient {
  const client = useContext(AuthContext);
  if (!client) throw new Error('useAuthClient outside <AuthContext.Provider>');
  return client;
}
