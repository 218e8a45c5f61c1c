/**
 * "Send a test request" on the reveal panel: streams a real answer to the page with the key just created
 * (held in memory by the panel, never stored), shows each delta as it arrives, the API's error code and
 * message when refused, and a Cancel button while it streams.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../lib/api';
import { streamChat } from '../lib/stream-chat';

const PROMPT = 'Say hello and tell me one fun fact about APIs.';

type Status = 'idle' | 'streaming' | 'done' | 'cancelled' | 'failed';

export function TestRequest({ apiKey, model }: { apiKey: string; model: string }) {
  const [status, setStatus] = useState<Status>('idle');
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  async function send() {
    const abort = new AbortController();
    controller.current = abort;
    setText('');
    setError(null);
    setStatus('streaming');
    try {
      await streamChat({
        key: apiKey,
        model,
        prompt: PROMPT,
        signal: abort.signal,
        onDelta: (delta) => setText((t) => t + delta),
      });
      setStatus('done');
    } catch (err) {
      if (abort.signal.aborted) return setStatus('cancelled');
      setError(err instanceof ApiError ? err : new ApiError(0, 'Cannot reach Portal. Try again.'));
      setStatus('failed');
    }
  }

  return (
    <section className="test-request" aria-labelledby="test-request-title">
      <div className="card-head">
        <h3 id="test-request-title">Send a test request</h3>
        {status === 'streaming' ? (
          <button type="button" className="btn btn-small" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        ) : (
          <button type="button" className="btn btn-small btn-primary" onClick={() => void send()}>
            {status === 'idle' ? 'Send a test request' : 'Send again'}
          </button>
        )}
      </div>
      <p className="muted small">
        Streams <code>{model}</code>’s answer to “{PROMPT}” with this key through{' '}
        <code>POST /v1/chat/completions</code>. It counts towards your usage like any request.
      </p>
      {status !== 'idle' && <TestOutput status={status} text={text} error={error} />}
    </section>
  );
}

const STATUS_TEXT: Record<Exclude<Status, 'idle'>, string> = {
  streaming: 'Streaming…',
  done: 'Done: the stream finished with [DONE].',
  cancelled: 'Cancelled.',
  failed: 'The request failed.',
};

function TestOutput({ status, text, error }: { status: Status; text: string; error: ApiError | null }) {
  return (
    <div className="test-output">
      {(text || status === 'streaming') && (
        <pre className="code test-answer" data-testid="test-answer" aria-live="polite">
          {text || '…'}
        </pre>
      )}
      {error ? (
        <p className="field-error" role="alert" data-testid="test-error">
          <code>{error.code ?? `HTTP ${error.status}`}</code>: {error.message}
        </p>
      ) : (
        <p className={`small test-status test-${status}`} role="status" data-testid="test-status">
          {status === 'idle' ? '' : STATUS_TEXT[status]}
        </p>
      )}
    </div>
  );
}
