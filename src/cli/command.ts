/**
 * What a CLI command is: a name, a one-line summary, its usage text and a run function that gets the
 * arguments after the command name. Commands throw CliError (or ConfigError / StoreError / StartupError)
 * for failures the user can fix; main prints them as one line.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number | void>;
}

export class CliError extends Error {
  override name = 'CliError';
}
