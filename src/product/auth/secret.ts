/**
 * The session-signing secret: `auth.secret` from the config, else one generated on first start into
 * `<dataDir>/auth-secret` (mode 0600) and reused after, so sessions survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../platform/config/load.js';

export function resolveAuthSecret(options: { secret?: string; dataDir: string }): string {
  if (options.secret) return options.secret;
  const file = join(options.dataDir, 'auth-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, secret + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (err) {
    throw new ConfigError(
      `data dir ${options.dataDir} is not writable (${(err as NodeJS.ErrnoException).code}): cannot keep the generated session secret there; fix the directory or set PORTAL_AUTH_SECRET`,
      { cause: err },
    );
  }
  return secret;
}
