import { useState } from 'react';
import { CopyButton } from './CopyButton';

/**
 * Code samples in tabs (curl / Python / JavaScript / Anthropic SDK), each with a copy button. Text only, never
 * HTML.
 */
export function CodeTabs({ samples }: { samples: Record<string, string> }) {
  const names = Object.keys(samples);
  const [active, setActive] = useState(names[0] ?? '');
  const labels: Record<string, string> = {
    curl: 'curl',
    python: 'Python',
    javascript: 'JavaScript',
    anthropic: 'Anthropic SDK',
  };
  return (
    <div className="code-tabs">
      <div className="tabs" role="tablist" aria-label="Code sample language">
        {names.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={active === name}
            className={active === name ? 'tab tab-active' : 'tab'}
            onClick={() => setActive(name)}
          >
            {labels[name] ?? name}
          </button>
        ))}
        <span className="tabs-spacer" />
        <CopyButton text={samples[active] ?? ''} label="Copy code" />
      </div>
      <pre className="code" role="tabpanel" tabIndex={0}>
        <code>{samples[active]}</code>
      </pre>
    </div>
  );
}
