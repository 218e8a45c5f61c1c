/** Shapes of the product API as the dashboard reads them: the server's own contracts, never re-declared here. */
export type {
  Account,
  ApiKey,
  AuthProviderResponse,
  CreatedKey,
  ErrorBody,
  KeyList,
  LedgerEntry,
  Model,
  ModelList,
  PlanInfo,
  PlanResponse,
  Usage,
  UsageTotals,
  UsageWindow,
} from '../../../src/contracts/index.js';
