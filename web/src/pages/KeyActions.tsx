import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import type { ApiKey, UpdateKeyRequest } from '../lib/types';
import { validateKeyName } from '../lib/validate';

export function RenameKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [lastId, setLastId] = useState<string | null>(null);
  if (apiKey && apiKey.id !== lastId) {
    setLastId(apiKey.id);
    setName(apiKey.name);
    setError(null);
  }
  const rename = useMutation({
    mutationFn: (body: UpdateKeyRequest) => api<ApiKey>(`/api/keys/${apiKey?.id}`, { method: 'PATCH', body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['keys'] });
      setLastId(null);
      onClose();
    },
    onError: (err) => setError(errorMessage(err)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validateKeyName(name);
    setError(problem);
    if (!problem) rename.mutate({ name: name.trim() });
  }
  return (
    <Dialog
      open={apiKey !== null}
      title="Rename key"
      onClose={() => {
        setLastId(null);
        onClose();
      }}
    >
      <form onSubmit={submit} noValidate className="dialog-body">
        <Field
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error}
          maxLength={200}
          autoFocus
        />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/api/keys/${id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['keys'] });
      revoke.reset();
      onClose();
    },
  });
  return (
    <Dialog open={apiKey !== null} title="Revoke key?" onClose={onClose}>
      <div className="dialog-body">
        {revoke.isError && <Notice tone="error">{errorMessage(revoke.error)}</Notice>}
        <p>
          Requests using <strong>{apiKey?.name}</strong> (<code>{apiKey?.redacted}</code>) will be refused
          immediately. This cannot be undone.
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={revoke.isPending}
            onClick={() => apiKey && revoke.mutate(apiKey.id)}
          >
            {revoke.isPending ? 'Revoking…' : 'Revoke key'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
