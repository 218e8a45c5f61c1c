/**
 * The CLI's client of a running server's admin API: `PORTAL_URL` (default http://localhost:8080) and
 * `PORTAL_ADMIN_TOKEN`, else the token `portal serve` generated into the data dir (`PORTAL_DATA_DIR`, default
 * ./.portal). Commands never open the store themselves (an embedded store has one owner).
 */
import { readSecretFile } from '#src/platform/config/secret-file.js';
import { CliError } from '../command.js';
import { ADMIN_TOKEN_FILE } from './serve.js';

export async function adminRequest<T>(
  method: string,
  path: string,
  body?: unknown,
  env: Record<string, string | undefined> = process.env,
): Promise<T> {
  const base = (env.PORTAL_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
  const dataDir = env.PORTAL_DATA_DIR ?? './.portal';
  const token = env.PORTAL_ADMIN_TOKEN || readSecretFile(dataDir, ADMIN_TOKEN_FILE);
  if (!token)
    throw new CliError(
      `set PORTAL_ADMIN_TOKEN to the server's admin token (no generated one in ${dataDir}/${ADMIN_TOKEN_FILE})`,
    );
  let res: Response;
  try {
    res = await fetch(`${base}/admin/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-portal-actor': 'cli',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(
      `cannot reach Portal at ${base} (${(err as Error).message}); is it running? set PORTAL_URL`,
    );
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new CliError(`unexpected answer from ${base} (HTTP ${res.status}): ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const message = (json as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
    throw new CliError(message);
  }
  return json as T;
}
