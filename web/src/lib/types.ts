/** Shapes of the product API as the dashboard reads them: the server's own contracts, never re-declared here. */
export type {
  Account,
  ApiKey,
  AuthProviderResponse,
  CreatedKey,
  CreateKeyRequest,
  ErrorBody,
  KeyList,
  LedgerEntry,
  Model,
  ModelList,
  PlanInfo,
  PlanResponse,
  Usage,
  UsageTotals,
  UpdateKeyRequest,
  UsageWindow,
} from '../../../src/contracts/index.js';
