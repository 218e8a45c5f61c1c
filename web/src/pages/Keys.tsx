import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { EmptyState, ErrorState, Loading, Notice } from '../components/States';
import { api } from '../lib/api';
import { formatDate, relativeTime } from '../lib/format';
import type { Account, ApiKey, CreatedKey, KeyList } from '../lib/types';
import { CreateKeyDialog } from './CreateKeyDialog';
import { RenameKeyDialog, RevokeKeyDialog } from './KeyActions';
import { RevealPanel } from './RevealPanel';

const STATUS_LABEL: Record<ApiKey['status'], string> = {
  active: 'Active',
  revoked: 'Revoked',
  disabled: 'Disabled',
  expired: 'Expired',
};

export function KeysPage({ account }: { account: Account }) {
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => api<KeyList>('/api/keys') });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [renaming, setRenaming] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const list = keys.data?.data ?? [];
  const active = list.filter((k) => k.status === 'active').length;
  const atCap = active >= account.plan.max_active_keys;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>API Keys</h1>
          <p className="muted">
            Keys authenticate your requests to the Portal API. {active} of {account.plan.max_active_keys}{' '}
            active keys on the {account.plan.name} plan.
          </p>
        </div>
        {list.length > 0 && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setCreating(true)}
            disabled={atCap}
          >
            Create key
          </button>
        )}
      </div>
      {atCap && list.length > 0 && (
        <Notice tone="warn">
          You have reached your plan’s limit of active keys. Revoke a key to create another.
        </Notice>
      )}
      {created && <RevealPanel created={created} onDone={() => setCreated(null)} />}
      {keys.isLoading && <Loading label="Loading your keys…" />}
      {keys.isError && <ErrorState error={keys.error} onRetry={() => keys.refetch()} />}
      {keys.isSuccess && list.length === 0 && (
        <EmptyState title="Create your first API key">
          <p className="muted">
            One key is all you need to call models like <code>oss-20b</code> with any OpenAI-compatible SDK.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            Create your first key
          </button>
        </EmptyState>
      )}
      {list.length > 0 && <KeysTable keys={list} onRename={setRenaming} onRevoke={setRevoking} />}
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setCreated(key);
        }}
      />
      <RenameKeyDialog apiKey={renaming} onClose={() => setRenaming(null)} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function KeysTable(props: { keys: ApiKey[]; onRename: (k: ApiKey) => void; onRevoke: (k: ApiKey) => void }) {
  return (
    <div className="table-wrap">
      <table className="table keys-table">
        <caption className="sr-only">Your API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((k) => (
            <KeyRow key={k.id} apiKey={k} onRename={props.onRename} onRevoke={props.onRevoke} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A key row's action: the verb shown, and the key's name for a screen reader ("Revoke ci"). */
function RowAction(props: { verb: string; keyName: string; onClick: () => void; danger?: boolean }) {
  return (
    <button
      type="button"
      className={props.danger ? 'btn btn-small btn-quiet btn-danger-text' : 'btn btn-small btn-quiet'}
      onClick={props.onClick}
      aria-label={`${props.verb} ${props.keyName}`}
    >
      {props.verb}
    </button>
  );
}

function KeyRow({
  apiKey: k,
  ...props
}: {
  apiKey: ApiKey;
  onRename: (k: ApiKey) => void;
  onRevoke: (k: ApiKey) => void;
}) {
  return (
    <tr data-key-id={k.id}>
      <td data-label="Name" className="key-name">
        {k.name}
        {k.models && <span className="muted small block">{k.models.join(', ')}</span>}
      </td>
      <td data-label="Key">
        <code>{k.redacted}</code>
      </td>
      <td data-label="Created">{formatDate(k.created_at)}</td>
      <td data-label="Last used">{relativeTime(k.last_used_at)}</td>
      <td data-label="Expires">{k.expires_at ? formatDate(k.expires_at) : 'Never'}</td>
      <td data-label="Status">
        <span className={`status status-${k.status}`}>{STATUS_LABEL[k.status]}</span>
      </td>
      <td className="actions">
        {k.status !== 'revoked' && (
          <>
            <RowAction verb="Rename" keyName={k.name} onClick={() => props.onRename(k)} />
            <RowAction verb="Revoke" keyName={k.name} onClick={() => props.onRevoke(k)} danger />
          </>
        )}
      </td>
    </tr>
  );
}
