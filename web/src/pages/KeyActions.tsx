import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Dialog } from '../components/Dialog';
import { Form, type Values } from '../components/Form';
import { Notice } from '../components/States';
import { api, errorMessage } from '../lib/api';
import type { ApiKey, UpdateKeyRequest } from '../lib/types';
import { validateKeyName } from '../lib/validate';

export function RenameKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  async function rename(v: Values) {
    const body: UpdateKeyRequest = { name: v.name!.trim() };
    await api<ApiKey>(`/api/keys/${apiKey?.id}`, { method: 'PATCH', body });
    await queryClient.invalidateQueries({ queryKey: ['keys'] });
    onClose();
  }
  return (
    <Dialog open={apiKey !== null} title="Rename key" onClose={onClose}>
      <Form
        key={apiKey?.id}
        variant="dialog"
        fields={[{ name: 'name', label: 'Name', maxLength: 200 }]}
        initial={{ name: apiKey?.name ?? '' }}
        validate={(v) => ({ name: validateKeyName(v.name!) })}
        fieldOfError={() => 'name'}
        onSubmit={rename}
        submitLabel="Save"
        actions={
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        }
      />
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
