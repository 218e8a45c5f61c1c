import { parseArgs } from 'node:util';
import { CliError, type Command } from '../command.js';
import { adminRequest } from './admin-client.js';

export const usersCommand: Command = {
  name: 'users',
  summary: 'Create users on a running server (admin API)',
  usage: `portal users create --email EMAIL --password PASSWORD [--name NAME] [--admin] [--json]

Creates an email + password user with a personal organization on the default plan, through the running
server's admin API: PORTAL_URL (default http://localhost:8080) and PORTAL_ADMIN_TOKEN.`,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'create') throw new CliError(`unknown users subcommand "${sub ?? ''}" (try: users create)`);
    const { values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.email || !values.password) throw new CliError('users create needs --email and --password');
    const user = await adminRequest<{ id: string; email: string; org_id: string; is_admin: boolean }>(
      'POST',
      '/users',
      { email: values.email, password: values.password, name: values.name, admin: values.admin },
    );
    console.log(
      values.json
        ? JSON.stringify(user)
        : `created ${user.is_admin ? 'admin ' : ''}user ${user.email} (${user.id}), organization ${user.org_id}`,
    );
  },
};
