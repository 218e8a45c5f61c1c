import { CodeTabs } from '../components/CodeTabs';
import { baseUrl, snippets } from '../lib/snippets';

const ENDPOINTS = [
  ['POST /v1/chat/completions', 'Chat with a model (OpenAI format, streaming with "stream": true).'],
  ['POST /v1/completions', 'Plain text completion (OpenAI format).'],
  ['POST /v1/messages', 'Anthropic Messages format, for Anthropic SDKs.'],
  ['GET /v1/models', 'The models your key can call.'],
];

const ERRORS = [
  [
    '401 invalid_api_key / key_revoked',
    'The key is wrong, revoked or expired. Create a new one on the API Keys page.',
  ],
  ['403 model_not_allowed', 'The key or plan does not include that model.'],
  ['429 rate_limit_exceeded', 'Slow down: retry after the number of seconds in the retry-after header.'],
  ['429 insufficient_quota', 'Your allowance is used up until it resets; retrying sooner does not help.'],
];

export function DocsPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Docs</h1>
          <p className="muted">
            Portal speaks the OpenAI API. Point any OpenAI SDK at <code>{baseUrl()}</code> with your key.
          </p>
        </div>
      </div>
      <section className="card">
        <h2>Quick start</h2>
        <CodeTabs samples={snippets('YOUR_API_KEY')} />
      </section>
      <section className="card">
        <h2>Endpoints</h2>
        <dl className="reference">
          {ENDPOINTS.map(([name, text]) => (
            <div key={name}>
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card">
        <h2>Limits and errors</h2>
        <p className="muted">
          Every response carries <code>x-request-id</code> and <code>x-ratelimit-*</code> headers. Errors use
          the OpenAI shape <code>{'{"error": {"message", "type", "code"}}'}</code>.
        </p>
        <dl className="reference">
          {ERRORS.map(([name, text]) => (
            <div key={name}>
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
