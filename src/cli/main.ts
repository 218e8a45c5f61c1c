/**
 * `portal` command line: dispatches to one command per file in ./commands. Expected failures (bad config,
 * unreachable database, port in use, read-only data dir) print one line naming the problem and exit 1.
 */
import type { Command } from './command.js';
import { serveCommand } from './commands/serve.js';
import { migrateCommand } from './commands/migrate.js';
import { usersCommand } from './commands/users.js';
import { keysCommand } from './commands/keys.js';
import { simCommand } from './commands/sim.js';
import { adminCommand } from './commands/admin.js';

const commands: Command[] = [
  serveCommand,
  migrateCommand,
  usersCommand,
  keysCommand,
  adminCommand,
  simCommand,
];

const EXPECTED_ERRORS = new Set(['CliError', 'ConfigError', 'StoreError', 'StartupError']);

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: portal <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "portal <command> --help" for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`portal: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (err) {
    const e = err as Error & { code?: string };
    if (
      EXPECTED_ERRORS.has(e.name) ||
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      e.code?.startsWith('ERR_PARSE_ARGS')
    )
      console.error(`portal: ${e.message}`);
    else console.error(`portal: unexpected error: ${e.stack ?? e.message}`);
    return 1;
  }
}
