/**
 * GET /api/docs, the public facts behind the docs pages: answers without a session, lists the same models with
 * the same fields as /v1/models gives a key that may call them all, says which plans include each, and carries
 * the configured support contact.
 */
import { describe, expect, it } from 'vitest';
import { docsResponse, type DocsResponse } from '#src/contracts/index.js';
import { startTestPortal, usePortal } from '../support/harness.js';

describe('GET /api/docs', () => {
  const portal = usePortal({
    config: { support: { url: 'https://help.example.com', email: 'help@example.com' } },
  });

  it('answers without a session, in its contract shape, with the configured support contact', async () => {
    const res = await portal.anon.get('/api/docs');
    expect(res.status).toBe(200);
    const body = docsResponse.parse(await res.json());
    expect(body.support).toEqual({ url: 'https://help.example.com', email: 'help@example.com' });
  });

  it('lists the models /v1/models lists, with the same context windows and capabilities', async () => {
    const { key } = await portal.account({ plan: 'pro' });
    const v1 = await (
      await portal.as(key).get('/v1/models')
    ).json<{ data: Array<Record<string, unknown>> }>();
    const docs = await (await portal.anon.get('/api/docs')).json<DocsResponse>();
    const pick = (m: Record<string, unknown>) => ({
      id: m.id,
      name: m.name,
      context_window: m.context_window,
      max_output_tokens: m.max_output_tokens,
      capabilities: m.capabilities,
    });
    expect(docs.models.map(pick)).toEqual(v1.data.map(pick));
    expect(docs.models.every((m) => m.status === 'available')).toBe(true);
  });

  it('says which plans include each model (the free plan leaves out oss-120b)', async () => {
    const docs = await (await portal.anon.get('/api/docs')).json<DocsResponse>();
    expect(docs.models.find((m) => m.id === 'oss-120b')?.plans).not.toContain('free');
    expect(docs.models.find((m) => m.id === 'oss-20b')?.plans).toContain('free');
    expect(docs.plans.find((p) => p.id === 'pro')?.limits.tokens_per_month).toBe(50_000_000);
  });

  it('without support configured, both channels are null', async () => {
    const bare = await startTestPortal();
    try {
      const docs = await (await bare.anon.get('/api/docs')).json<DocsResponse>();
      expect(docs.support).toEqual({ url: null, email: null });
    } finally {
      await bare.close();
    }
  });
});
