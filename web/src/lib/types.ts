/** Shapes of the product API as the dashboard reads them. */
export interface Account {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string; status: 'active' | 'disabled' };
  role: 'owner' | 'admin' | 'member';
  plan: { id: string; name: string; kind: string; max_active_keys: number };
  auth_provider: string;
  demo_backend: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  display_prefix: string;
  last_four: string;
  redacted: string;
  status: 'active' | 'revoked' | 'disabled' | 'expired';
  models: string[] | null;
  limits: { requests_per_minute: number | null; tokens_per_minute: number | null };
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface CreatedKey extends ApiKey {
  key: string;
}

export interface Model {
  id: string;
  name: string;
  description: string;
  context_window: number;
}

export interface UsageTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  cost_micros: number;
}

export interface UsageWindow {
  name: string;
  subject: 'key' | 'org';
  key_id?: string;
  limit: number;
  used: number;
  remaining: number;
  resets_at: string;
}

export interface Usage {
  from: string;
  to: string;
  granularity: 'day' | 'hour';
  totals: UsageTotals;
  series: Array<UsageTotals & { bucket: string }>;
  by_key: Array<{
    key_id: string;
    key_name: string;
    requests: number;
    input_tokens: number;
    output_tokens: number;
    cost: number;
  }>;
  by_model: Array<{
    model: string;
    requests: number;
    input_tokens: number;
    output_tokens: number;
    cost: number;
  }>;
  windows: UsageWindow[];
}

export interface PlanInfo {
  id: string;
  name: string;
  kind: string;
  limits: {
    requests_per_minute: number | null;
    tokens_per_minute: number | null;
    requests_per_day: number | null;
    tokens_per_day: number | null;
  };
  monthly_tokens: number | null;
  max_active_keys: number;
  models: string[];
  price_micros_per_month: number;
}

export interface PlanResponse {
  plan: PlanInfo;
  balance_micros: number | null;
  ledger: Array<{
    id: string;
    occurred_at: string;
    kind: string;
    amount_micros: number;
    description: string;
  }>;
  plans: PlanInfo[];
}
