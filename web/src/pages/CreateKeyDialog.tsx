import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Dialog } from '../components/Dialog';
import { Form, type Values } from '../components/Form';
import { api, ApiError, errorMessage } from '../lib/api';
import { rememberCreatedKey } from '../lib/created-key';
import type { CreatedKey, CreateKeyRequest, ModelList } from '../lib/types';
import { validateExpiry, validateKeyName, validateLimit } from '../lib/validate';

/** The server's `param` of a refusal → the field that shows it. */
const PARAM_FIELD: Record<string, string> = {
  name: 'name',
  expires_at: 'expires_at',
  models: 'models',
  'limits.requests_per_minute': 'rpm',
  'limits.tokens_per_minute': 'tpm',
};

interface Scope {
  scoped: boolean;
  picked: string[];
}

/** The create-key request from the form's values and the model scope. */
export function createKeyRequest(v: Values, scope: Scope): CreateKeyRequest {
  const limits = {
    ...(v.rpm?.trim() ? { requests_per_minute: Number(v.rpm) } : {}),
    ...(v.tpm?.trim() ? { tokens_per_minute: Number(v.tpm) } : {}),
  };
  return {
    name: v.name!.trim(),
    ...(v.expires_at ? { expires_at: new Date(`${v.expires_at}T23:59:59`).toISOString() } : {}),
    ...(scope.scoped ? { models: scope.picked } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

export function CreateKeyDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (key: CreatedKey) => void;
}) {
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<Scope>({ scoped: false, picked: [] });
  const close = () => {
    setScope({ scoped: false, picked: [] });
    props.onClose();
  };
  async function create(v: Values) {
    const key = await api<CreatedKey>('/api/keys', { method: 'POST', body: createKeyRequest(v, scope) });
    rememberCreatedKey(key);
    await queryClient.invalidateQueries({ queryKey: ['keys'] });
    setScope({ scoped: false, picked: [] });
    props.onCreated(key);
  }
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (
    <Dialog open={props.open} title="Create API key" onClose={close}>
      <Form
        variant="dialog"
        fields={[
          {
            name: 'name',
            label: 'Name',
            maxLength: 200,
            hint: 'So you can recognise it later, e.g. “production” or “laptop”.',
          },
          {
            name: 'expires_at',
            label: 'Expires (optional)',
            type: 'date',
            min: tomorrow,
            hint: 'Leave empty for a key that does not expire.',
          },
          { name: 'rpm', label: 'Requests / minute (optional)', inputMode: 'numeric' },
          { name: 'tpm', label: 'Tokens / minute (optional)', inputMode: 'numeric' },
        ]}
        validate={(v) => ({
          name: validateKeyName(v.name!),
          expires_at: validateExpiry(v.expires_at!),
          models:
            scope.scoped && scope.picked.length === 0
              ? 'Pick at least one model, or allow all models.'
              : null,
          rpm: validateLimit(v.rpm!, 'Requests per minute'),
          tpm: validateLimit(v.tpm!, 'Tokens per minute'),
        })}
        fieldOfError={(err) =>
          err instanceof ApiError && err.param ? (PARAM_FIELD[err.param] ?? null) : null
        }
        onSubmit={create}
        submitLabel="Create key"
        busyLabel="Creating…"
        actions={
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
        }
      >
        {(problems) => (
          <>
            <ModelScope scope={scope} onChange={setScope} error={problems.models} />
            <p className="hint">
              Key limits apply on top of your plan’s limits; leave empty to use the plan’s.
            </p>
          </>
        )}
      </Form>
    </Dialog>
  );
}

/** All models of the plan, or only the ones ticked. */
function ModelScope({
  scope,
  onChange,
  error,
}: {
  scope: Scope;
  onChange: (s: Scope) => void;
  error?: string | null;
}) {
  const models = useQuery({ queryKey: ['models'], queryFn: () => api<ModelList>('/api/models') });
  const toggle = (id: string, on: boolean) =>
    onChange({ ...scope, picked: on ? [...scope.picked, id] : scope.picked.filter((p) => p !== id) });
  return (
    <fieldset className="fieldset">
      <legend>Models</legend>
      <label className="check">
        <input
          type="radio"
          name="scope"
          checked={!scope.scoped}
          onChange={() => onChange({ ...scope, scoped: false })}
        />{' '}
        All models on your plan
      </label>
      <label className="check">
        <input
          type="radio"
          name="scope"
          checked={scope.scoped}
          onChange={() => onChange({ ...scope, scoped: true })}
        />{' '}
        Only these models
      </label>
      {scope.scoped && (
        <div className="model-picks">
          {models.isLoading && <span className="muted small">Loading models…</span>}
          {models.isError && (
            <span className="field-error">Could not load models: {errorMessage(models.error)}</span>
          )}
          {models.data?.data.map((m) => (
            <label key={m.id} className="check">
              <input
                type="checkbox"
                checked={scope.picked.includes(m.id)}
                onChange={(e) => toggle(m.id, e.target.checked)}
              />{' '}
              <code>{m.id}</code> <span className="muted small">{m.name}</span>
            </label>
          ))}
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
