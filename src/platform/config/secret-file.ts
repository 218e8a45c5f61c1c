/**
 * A secret Portal generates once and keeps in its data dir (session secret, development admin token):
 * read when the file holds one, else 32 random bytes written with mode 0600 (owner only) and reused after.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './load.js';

/** The secret in `<dataDir>/<name>`, or undefined when there is none (no file, or too short to be one). */
export function readSecretFile(dataDir: string, name: string): string | undefined {
  try {
    const existing = readFileSync(join(dataDir, name), 'utf8').trim();
    return existing.length >= 32 ? existing : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * @example secretFile({ dataDir: './.portal', name: 'auth-secret', envHint: 'PORTAL_AUTH_SECRET' })
 */
export function secretFile(options: { dataDir: string; name: string; envHint: string }): string {
  const { dataDir, name } = options;
  const existing = readSecretFile(dataDir, name);
  if (existing) return existing;
  const secret = randomBytes(32).toString('base64url');
  const file = join(dataDir, name);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, secret + '\n', { mode: 0o600 });
    chmodSync(file, 0o600); // the mode above is masked by umask and ignored for an existing file
  } catch (err) {
    throw new ConfigError(
      `data dir ${dataDir} is not writable (${(err as NodeJS.ErrnoException).code}): cannot keep the generated ${name} there; fix the directory or set ${options.envHint}`,
      { cause: err },
    );
  }
  return secret;
}
