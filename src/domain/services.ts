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
import type { CreditsMirror } from './keys/credits-mirror.js';

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
  /** With keys on Unkey: told of every change to an organization's pool other than usage. */
  creditsMirror?: Pick<CreditsMirror, 'touch'>;
}): Domain {
  const { config, store, bus, credits } = deps;
  const defaultPlanId = config.defaultPlan;
  const external = externalKeysFor(config);
  const keys = createKeyService({ store, bus, defaultPlanId, external });
  const plans = createPlans({ db: store.db, bus, defaultPlanId });
  const domain = {
    keys,
    accounts: createAccounts({ db: store.db, defaultPlanId }),
    plans: external?.attachesLimits ? withKeyLimitResync(plans, keys) : plans,
    ledger: createLedger({ store, credits }),
  };
  return deps.creditsMirror ? withCreditsMirror(domain, deps.creditsMirror) : domain;
}

/**
 * Marks the organization for the Unkey credits mirror after each change of its pool that is not usage: a new
 * key (it starts unlimited at Unkey), a plan change (the unit may change) and a ledger entry (a grant).
 */
export function withCreditsMirror(domain: Domain, mirror: Pick<CreditsMirror, 'touch'>): Domain {
  const { keys, plans, ledger } = domain;
  return {
    ...domain,
    keys: {
      ...keys,
      async create(actor, orgId, input, reason) {
        const created = await keys.create(actor, orgId, input, reason);
        mirror.touch(orgId);
        return created;
      },
    },
    plans: {
      ...plans,
      async change(change) {
        const result = await plans.change(change);
        if (result.ok) mirror.touch(change.orgId);
        return result;
      },
    },
    ledger: {
      ...ledger,
      async append(entry, actor, reason) {
        const written = await ledger.append(entry, actor, reason);
        mirror.touch(entry.orgId);
        return written;
      },
    },
  };
}

/**
 * Keys whose limits are attached at Unkey (keys and limits both provider unkey) get them re-written after a
 * plan change, in the background (the plan change does not wait): decisions do not depend on it — the gateway
 * sends the current limit with every keys.verifyKey — only what Unkey's dashboard shows as the key's
 * configuration. Not durable: a process that stops mid-way leaves the rest as they were until the next change.
 */
export function withKeyLimitResync(plans: Plans, keys: Pick<KeyService, 'resyncLimits'>): Plans {
  return {
    ...plans,
    async change(change) {
      const result = await plans.change(change);
      if (result.ok) void keys.resyncLimits(change.orgId).catch(() => undefined); // store gone: next change
      return result;
    },
  };
}
