/**
 * The model catalog, cached per instance: loaded from the `models` table at start, reloaded when a model
 * changes (`model.changed` on the bus) and every 30 s as a safety net. Resolving a name costs no database
 * read: ids and aliases are looked up in memory, case-insensitively.
 */
import { asc } from 'drizzle-orm';
import type { Bus } from '../platform/bus/types.js';
import type { Logger } from '../platform/log.js';
import type { Store } from '../platform/store/db.js';
import { models } from '../platform/store/schema.js';
import { capabilitiesOf } from './templates/chat-template.js';
import type { CatalogModel } from './types.js';

export interface Catalog {
  /** A model by id or alias (disabled ones included: the caller decides what disabled means). */
  resolve(nameOrAlias: string): CatalogModel | undefined;
  /** Every model, in catalog order. */
  list(): CatalogModel[];
  refresh(): Promise<void>;
  close(): void;
}

const REFRESH_EVERY_MS = 30_000;

async function readModels(store: Store): Promise<CatalogModel[]> {
  const rows = await store.db.select().from(models).orderBy(asc(models.sortOrder), asc(models.id));
  return rows.map((r) => ({
    id: r.id,
    displayName: r.displayName,
    description: r.description,
    contextWindow: r.contextWindow,
    maxOutputTokens: r.maxOutputTokens,
    defaultMaxTokens: r.defaultMaxTokens,
    template: r.template,
    inputPricePerMTok: r.inputPricePerMTok,
    outputPricePerMTok: r.outputPricePerMTok,
    aliases: r.aliases,
    status: r.status,
    createdAt: r.createdAt,
    capabilities: capabilitiesOf(r.template),
  }));
}

function index(list: CatalogModel[]): Map<string, CatalogModel> {
  const byName = new Map<string, CatalogModel>();
  for (const m of list) for (const alias of m.aliases) byName.set(alias.toLowerCase(), m);
  for (const m of list) byName.set(m.id.toLowerCase(), m); // ids win over aliases
  return byName;
}

/**
 * @example const catalog = await createCatalog({ store, bus }); catalog.resolve('gpt-oss-20b')?.id // 'oss-20b'
 */
export async function createCatalog(deps: { store: Store; bus: Bus; log?: Logger }): Promise<Catalog> {
  let list = await readModels(deps.store);
  let byName = index(list);
  async function refresh() {
    list = await readModels(deps.store);
    byName = index(list);
  }
  const safeRefresh = () =>
    refresh().catch((err: unknown) => deps.log?.error({ err }, 'catalog refresh failed'));
  const unsubscribe = deps.bus.subscribe((m) => {
    if (m.type === 'model.changed' || m.type === 'cache.flush') void safeRefresh();
  });
  const timer = setInterval(() => void safeRefresh(), REFRESH_EVERY_MS);
  timer.unref();
  return {
    resolve: (name) => byName.get(name.trim().toLowerCase()),
    list: () => list,
    refresh,
    close() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
