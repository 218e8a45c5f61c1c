import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CodeTabs } from '../components/CodeTabs';
import { CopyButton } from '../components/CopyButton';
import { api } from '../lib/api';
import { baseUrl, modelForKey, snippets } from '../lib/snippets';
import type { CreatedKey, ModelList } from '../lib/types';
import { TestRequest } from './TestRequest';

/**
 * Shown once, right after creation: the full key, a copy button, ready-to-run snippets and a test request
 * streamed in the page, all with a model the key may call.
 */
export function RevealPanel({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const models = useQuery({ queryKey: ['models'], queryFn: () => api<ModelList>('/api/models') });
  const model = modelForKey(created.models, models.data?.data.map((m) => m.id) ?? []);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card reveal" aria-labelledby="reveal-title">
      <h2 id="reveal-title" ref={heading} tabIndex={-1}>
        Your new key “{created.name}”
      </h2>
      <p className="warn-text">
        <strong>Copy it now.</strong> This is the only time the full key is shown; Portal stores only a hash
        of it.
      </p>
      <div className="key-box">
        <input
          className="key-value"
          readOnly
          value={created.key}
          aria-label="New API key"
          data-testid="new-key"
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={created.key} label="Copy key" />
      </div>
      <h3>Try it</h3>
      <CodeTabs samples={snippets(created.key, baseUrl(), model)} />
      <TestRequest apiKey={created.key} model={model} />
      <div className="reveal-actions">
        <button type="button" className="btn btn-primary" onClick={onDone}>
          I have saved my key
        </button>
      </div>
    </section>
  );
}
