/**
 * The account domain's services, built once by the composition root (src/app.ts) and shared by the product
 * API, the admin API and the CLI endpoints (which call the admin API): the key service (one Unkey client
 * when keys.provider = unkey), accounts, plans and the ledger. Routes receive the one or two of these they
 * use. Audit has no instance: `recordAudit(tx, entry)` writes in the transaction of the change it records.
 */
import type { PortalConfig } from '../platform/config/schema.js';
import type { Store } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import type { CreditsGuard } from '../platform/billing/credits.js';
import { createLedger, type Ledger } from '../platform/billing/ledger.js';
import { createPlans, type Plans } from '../platform/billing/plans.js';
import { createAccounts, type Accounts } from './accounts.js';
import { createKeyService, type KeyService } from './keys/key-service.js';
import { externalKeysFor } from './keys/external-keys.js';

export interface Domain {
  keys: KeyService;
  accounts: Accounts;
  plans: Plans;
  ledger: Ledger;
}

export function createDomain(deps: {
  config: PortalConfig;
  store: Store;
  bus: Bus;
  credits: CreditsGuard;
}): Domain {
  const { config, store, bus, credits } = deps;
  const defaultPlanId = config.defaultPlan;
  return {
    keys: createKeyService({ store, bus, defaultPlanId, external: externalKeysFor(config) }),
    accounts: createAccounts({ db: store.db, defaultPlanId }),
    plans: createPlans({ db: store.db, bus, defaultPlanId }),
    ledger: createLedger({ store, credits }),
  };
}
