/**
 * The session-signing secret: `auth.secret` from the config, else one generated on first start into
 * `<dataDir>/auth-secret` (mode 0600) and reused after, so sessions survive restarts.
 */
import { secretFile } from '#src/platform/config/secret-file.js';

export function resolveAuthSecret(options: { secret?: string; dataDir: string }): string {
  if (options.secret) return options.secret;
  return secretFile({ dataDir: options.dataDir, name: 'auth-secret', envHint: 'PORTAL_AUTH_SECRET' });
}
