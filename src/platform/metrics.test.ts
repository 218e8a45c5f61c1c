import { describe, expect, it } from 'vitest';
import { createMetrics, httpRecorder } from './metrics.js';

describe('httpRecorder', () => {
  it('counts answers by route and status and observes durations by route, in the exposition', async () => {
    const metrics = createMetrics();
    const record = httpRecorder(metrics);
    record('/v1/chat/completions', 200, 0.004);
    record('/v1/chat/completions', 200, 0.02);
    record('/v1/chat/completions', 429, 0.0005);
    record('/healthz', 200, 0.0001);
    const text = await metrics.registry.metrics();
    expect(text).toContain('portal_http_requests_total{route="/v1/chat/completions",status="200"} 2');
    expect(text).toContain('portal_http_requests_total{route="/v1/chat/completions",status="429"} 1');
    expect(text).toContain('portal_http_requests_total{route="/healthz",status="200"} 1');
    expect(text).toContain(
      'portal_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.001"} 1',
    );
    expect(text).toContain(
      'portal_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.005"} 2',
    );
    expect(text).toContain('portal_http_request_duration_seconds_count{route="/v1/chat/completions"} 3');
  });
});
