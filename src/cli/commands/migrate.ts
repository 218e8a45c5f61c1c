import { parseArgs } from 'node:util';
import { loadConfig } from '#src/platform/config/load.js';
import { openStore } from '#src/platform/store/db.js';
import { migrateVia } from '#src/platform/store/migrate.js';
import type { Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply database migrations (also done at every start)',
  usage: `portal migrate [--config FILE]

Applies pending SQL migrations to DATABASE_URL (over DATABASE_DIRECT_URL when that is set, e.g. Supabase's
direct connection next to its transaction-mode pooler), or to the embedded store in the data dir. Safe to run twice
and from several machines at once (an advisory lock serialises them). Do not run it against the embedded
store while a server is using it.`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } } });
    const config = loadConfig({ file: values.config });
    const store = await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir });
    try {
      const result = await migrateVia(store, config.database.directUrl);
      console.log(
        result.applied.length
          ? `applied ${result.applied.length} migration(s) to ${store.description}: ${result.applied.join(', ')}`
          : `${store.description} is up to date (${result.total} migration(s))`,
      );
    } finally {
      await store.close();
    }
  },
};
