import { parseArgs } from 'node:util';
import { CliError, type Command } from '../command.js';
import { adminRequest } from './admin-client.js';

interface KeyView {
  id: string;
  name: string;
  redacted: string;
  status: string;
  created_at: string;
  last_used_at: string | null;
  key?: string;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Create, list, revoke, disable or enable API keys on a running server',
  usage: `portal keys create --email EMAIL --name NAME [--rpm N] [--tpm N] [--json]
portal keys list --email EMAIL [--json]
portal keys revoke|disable|enable KEY_ID

"create" prints the full key once; --json gives {"id", "key", ...}. Talks to the running server's admin API:
PORTAL_URL (default http://localhost:8080) and PORTAL_ADMIN_TOKEN.`,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        rpm: { type: 'string' },
        tpm: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const print = (value: unknown, text: string) => console.log(values.json ? JSON.stringify(value) : text);
    switch (sub ?? '') {
      case 'create': {
        if (!values.email || !values.name) throw new CliError('keys create needs --email and --name');
        const limits = {
          ...(values.rpm ? { requests_per_minute: positiveInt('--rpm', values.rpm) } : {}),
          ...(values.tpm ? { tokens_per_minute: positiveInt('--tpm', values.tpm) } : {}),
        };
        const key = await adminRequest<KeyView>('POST', '/keys', {
          email: values.email,
          name: values.name,
          ...(Object.keys(limits).length ? { limits } : {}),
        });
        print(key, `${key.key}\n\nkey ${key.id} "${key.name}" created. Store it now: it is not shown again.`);
        return;
      }
      case 'list': {
        if (!values.email) throw new CliError('keys list needs --email');
        const list = await adminRequest<{ data: KeyView[] }>(
          'GET',
          `/keys?email=${encodeURIComponent(values.email)}`,
        );
        print(list, list.data.length ? list.data.map(row).join('\n') : 'no keys');
        return;
      }
      case 'revoke':
      case 'disable':
      case 'enable': {
        const id = positionals[0];
        if (!id) throw new CliError(`keys ${sub} needs a key id`);
        const path = `/keys/${encodeURIComponent(id)}`;
        const key =
          sub === 'revoke'
            ? await adminRequest<KeyView>('DELETE', path)
            : await adminRequest<KeyView>('POST', `${path}/${sub}`);
        print(key, `key ${key.id} is ${key.status}`);
        return;
      }
      default:
        throw new CliError(`unknown keys subcommand "${sub ?? ''}" (try: create, list, revoke)`);
    }
  },
};

function row(k: KeyView): string {
  return [k.id, k.redacted, k.status.padEnd(8), k.created_at.slice(0, 10), JSON.stringify(k.name)].join('  ');
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive whole number`);
  return n;
}
