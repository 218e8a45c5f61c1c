/**
 * `portal admin RESOURCE ACTION …`: the admin API from a terminal, one action per endpoint. Readable aligned
 * tables by default, the API's JSON with --json; --reason goes into the audit entry of every change. Talks to
 * the running server like `portal keys` (PORTAL_URL, PORTAL_ADMIN_TOKEN or the generated token in the data
 * dir); an API error prints its message and exits 1.
 */
import type { Command } from '../command.js';
import { CliError } from '../command.js';
import { runAction, type Resource } from '../admin/action.js';
import { orgs } from '../admin/orgs.js';
import { models, pools, routers } from '../admin/fleet.js';
import { audit, keys, requests } from '../admin/records.js';

const RESOURCES: Record<string, Resource> = { orgs, keys, models, pools, routers, requests, audit };

function usage(only?: string): string {
  const lines = Object.entries(RESOURCES)
    .filter(([name]) => !only || name === only)
    .flatMap(([, actions]) => Object.values(actions).map((a) => `  portal admin ${a.usage}`));
  return [
    'Usage:',
    ...lines,
    '',
    'Every action takes --json (print the API answer as JSON); changes take --reason TEXT (kept in the audit log).',
    'Talks to the running server: PORTAL_URL (default http://localhost:8080) and PORTAL_ADMIN_TOKEN, else the',
    'token `portal serve` generated in PORTAL_DATA_DIR (default ./.portal).',
  ].join('\n');
}

export const adminCommand: Command = {
  name: 'admin',
  summary: 'Operate a running server: orgs, keys, models, pools, routers, requests, audit',
  get usage() {
    return usage();
  },
  async run(argv) {
    const [resourceName = '', actionName = '', ...rest] = argv;
    const resource = RESOURCES[resourceName];
    if (!resource)
      throw new CliError(
        `unknown admin resource "${resourceName}" (one of: ${Object.keys(RESOURCES).join(', ')})`,
      );
    const action = resource[actionName];
    if (!action)
      throw new CliError(
        `unknown action "${actionName}" for admin ${resourceName} (one of: ${Object.keys(resource).join(', ')})\n\n${usage(resourceName)}`,
      );
    await runAction(action, `${resourceName} ${actionName}`, rest);
  },
};
