/** Shapes of the product API as the dashboard reads them: the server's own contracts, never re-declared here. */
import type { z } from 'zod';
import type { adminLedger, adminModelList, adminPlanList, poolList } from '#src/contracts/admin-responses.js';

export type {
  Account,
  ApiKey,
  AuthProviderResponse,
  CreatedKey,
  CreateKeyRequest,
  CustomerRequest,
  CustomerRequestPage,
  DocsModel,
  DocsPlan,
  DocsResponse,
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
  WindowName,
} from '#src/contracts/index.js';

/** The admin API's answers (the operations console, loaded for operators only). */
export type {
  AdminKey,
  AdminKeyList,
  AdminModel,
  AdminOrg,
  AdminOrgSummary,
  AdminOrgUsage,
  AuditEntry,
  AuditPage,
  MeteringStats,
  OrgLimits,
  PoolView,
  RequestLog,
  RouterView,
} from '#src/contracts/admin-responses.js';

/** Admin answers the contracts state as schemas only: inferred from them here, not declared by hand. */
export type AdminPlanList = z.infer<typeof adminPlanList>;
export type AdminLedger = z.infer<typeof adminLedger>;
export type PoolList = z.infer<typeof poolList>;
export type AdminModelList = z.infer<typeof adminModelList>;
