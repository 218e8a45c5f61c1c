import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, ApiError, errorMessage } from '../lib/api';
import type { CreatedKey, CreateKeyRequest, ModelList } from '../lib/types';
import { validateExpiry, validateKeyName, validateLimit } from '../lib/validate';

type Errors = Partial<Record<'name' | 'expires_at' | 'models' | 'rpm' | 'tpm' | 'form', string | null>>;

const PARAM_FIELD: Record<string, keyof Errors> = {
  name: 'name',
  expires_at: 'expires_at',
  models: 'models',
  'limits.requests_per_minute': 'rpm',
  'limits.tokens_per_minute': 'tpm',
};

export function CreateKeyDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (key: CreatedKey) => void;
}) {
  const queryClient = useQueryClient();
  const models = useQuery({
    queryKey: ['models'],
    queryFn: () => api<ModelList>('/api/models'),
    enabled: open,
  });
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('');
  const [scoped, setScoped] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [rpm, setRpm] = useState('');
  const [tpm, setTpm] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const create = useMutation({
    mutationFn: (body: CreateKeyRequest) => api<CreatedKey>('/api/keys', { method: 'POST', body }),
    onSuccess: async (key) => {
      await queryClient.invalidateQueries({ queryKey: ['keys'] });
      reset();
      onCreated(key);
    },
    onError: (err) => {
      const field = err instanceof ApiError && err.param ? PARAM_FIELD[err.param] : undefined;
      setErrors(field ? { [field]: err.message } : { form: errorMessage(err) });
    },
  });

  function reset() {
    setName('');
    setExpiry('');
    setScoped(false);
    setPicked([]);
    setRpm('');
    setTpm('');
    setErrors({});
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: Errors = {
      name: validateKeyName(name),
      expires_at: validateExpiry(expiry),
      models: scoped && picked.length === 0 ? 'Pick at least one model, or allow all models.' : null,
      rpm: validateLimit(rpm, 'Requests per minute'),
      tpm: validateLimit(tpm, 'Tokens per minute'),
    };
    setErrors(next);
    if (Object.values(next).some(Boolean)) return;
    const limits = {
      ...(rpm.trim() ? { requests_per_minute: Number(rpm) } : {}),
      ...(tpm.trim() ? { tokens_per_minute: Number(tpm) } : {}),
    };
    create.mutate({
      name: name.trim(),
      ...(expiry ? { expires_at: new Date(`${expiry}T23:59:59`).toISOString() } : {}),
      ...(scoped ? { models: picked } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    });
  }

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (
    <Dialog
      open={open}
      title="Create API key"
      onClose={() => {
        reset();
        onClose();
      }}
    >
      <form onSubmit={submit} noValidate className="dialog-body">
        {errors.form && <Notice tone="error">{errors.form}</Notice>}
        <Field
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          hint="So you can recognise it later, e.g. “production” or “laptop”."
          maxLength={200}
          autoFocus
        />
        <Field
          label="Expires (optional)"
          type="date"
          min={tomorrow}
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          error={errors.expires_at}
          hint="Leave empty for a key that does not expire."
        />
        <fieldset className="fieldset">
          <legend>Models</legend>
          <label className="check">
            <input type="radio" name="scope" checked={!scoped} onChange={() => setScoped(false)} /> All models
            on your plan
          </label>
          <label className="check">
            <input type="radio" name="scope" checked={scoped} onChange={() => setScoped(true)} /> Only these
            models
          </label>
          {scoped && (
            <div className="model-picks">
              {models.isLoading && <span className="muted small">Loading models…</span>}
              {models.isError && (
                <span className="field-error">Could not load models: {errorMessage(models.error)}</span>
              )}
              {models.data?.data.map((m) => (
                <label key={m.id} className="check">
                  <input
                    type="checkbox"
                    checked={picked.includes(m.id)}
                    onChange={(e) =>
                      setPicked(e.target.checked ? [...picked, m.id] : picked.filter((id) => id !== m.id))
                    }
                  />{' '}
                  <code>{m.id}</code> <span className="muted small">{m.name}</span>
                </label>
              ))}
            </div>
          )}
          {errors.models && (
            <p className="field-error" role="alert">
              {errors.models}
            </p>
          )}
        </fieldset>
        <div className="row-2">
          <Field
            label="Requests / minute (optional)"
            inputMode="numeric"
            value={rpm}
            onChange={(e) => setRpm(e.target.value)}
            error={errors.rpm}
          />
          <Field
            label="Tokens / minute (optional)"
            inputMode="numeric"
            value={tpm}
            onChange={(e) => setTpm(e.target.value)}
            error={errors.tpm}
          />
        </div>
        <p className="hint">Key limits apply on top of your plan’s limits; leave empty to use the plan’s.</p>
        <div className="dialog-actions">
          <button
            type="button"
            className="btn"
            onClick={() => {
              reset();
              onClose();
            }}
          >
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
