/**
 * Variables of the signed-in product API (/api/*): the session's user and the organization it acts for.
 * Set by the session middleware (src/product/auth); every product route reads them, never a query param.
 */
import type { BaseVariables } from '../platform/http/context.js';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

export interface ProductEnv {
  Variables: BaseVariables & {
    user: SessionUser;
    orgId: string;
    role: 'owner' | 'admin' | 'member';
  };
}
