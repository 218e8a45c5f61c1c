/**
 * What one `portal admin RESOURCE ACTION` is: its usage line, the options it takes beyond the shared ones
 * (`--json`, `--reason`), how many ids it needs, and a run function that calls the admin API and returns what
 * to print (the API's JSON and its readable form). Parsing, the id check and printing happen once, in
 * `runAction`, for every action.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from '../command.js';
import { adminRequest } from '../commands/admin-client.js';
import { emit } from '../output.js';

export type Values = Record<string, string | boolean | undefined>;
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ActionContext {
  /** The ids named on the command line, as many as `ids` lists. */
  ids: string[];
  values: Values;
  /** `{ reason }` when --reason was given, else `{}`: spread into a request body. */
  reason: { reason?: string };
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** The line under a page that has a next one: this same command with `--cursor`, filters kept. */
  nextPage(cursor: string | null | undefined): string;
}

export interface Printed {
  json: unknown;
  text: string;
}

export interface Action {
  /** e.g. `orgs disable ORG_ID [--reason TEXT]` */
  usage: string;
  /** Names of the required positional ids, e.g. ['ORG_ID']. */
  ids?: readonly string[];
  options?: ParseArgsOptionsConfig;
  run(ctx: ActionContext): Promise<Printed>;
}

export type Resource = Record<string, Action>;

const SHARED: ParseArgsOptionsConfig = {
  json: { type: 'boolean', default: false },
  reason: { type: 'string' },
};

/** Runs `portal admin NAME…` (`name` is "resource action") with the arguments after it. */
export async function runAction(action: Action, name: string, argv: string[]): Promise<void> {
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...SHARED, ...action.options },
  });
  const values = parsed.values as Values;
  const positionals = parsed.positionals;
  const names = action.ids ?? [];
  if (positionals.length < names.length)
    throw new CliError(`missing ${names.slice(positionals.length).join(' ')}: portal admin ${action.usage}`);
  if (positionals.length > names.length)
    throw new CliError(`unexpected argument "${positionals[names.length]}": portal admin ${action.usage}`);
  const reason = typeof values.reason === 'string' ? { reason: values.reason } : {};
  const printed = await action.run({
    ids: positionals,
    values,
    reason,
    api: (method, path, body) => adminRequest(method, path, body),
    nextPage: (cursor) => (cursor ? `\n\nmore: portal admin ${name} ${withCursor(argv, cursor)}` : ''),
  });
  emit(values.json === true, printed.json, printed.text);
}

/** `?a=1&b=x` from the options that were given, named by `params` (option name → query parameter). */
export function query(values: Values, params: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [option, param] of Object.entries(params)) {
    const v = values[option];
    if (typeof v === 'string' && v !== '') q.set(param, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A path segment from an id typed on the command line. */
export const seg = (id: string | undefined) => encodeURIComponent(id ?? '');

/** A whole number from an option, or a CliError naming the option. */
export function wholeNumber(flag: string, value: string | boolean | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min)
    throw new CliError(`--${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return n;
}

/** The arguments with `--cursor` set to `cursor` (any earlier one dropped), quoted for a POSIX shell. */
function withCursor(argv: string[], cursor: string): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--cursor') i++;
    else if (!arg.startsWith('--cursor=')) kept.push(arg);
  }
  return [...kept, '--cursor', cursor]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** The option table of string options, for actions that only filter. */
export function stringOptions(...names: string[]): Record<string, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
}
