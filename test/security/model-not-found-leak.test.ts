/**
 * Finding Low (issue #10): `model_not_found` listed every model in the catalog, including ones the caller's
 * plan or key may not use. It now lists only the models this key is entitled to.
 */
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';

describe('model_not_found', () => {
  const t = usePortal();

  const ask = async (key: string) => {
    const error = await errorOf(
      await t.as(key).post('/v1/chat/completions', chatBody({ model: 'no-such-model' })),
    );
    expect(error.status).toBe(404);
    return error;
  };

  it('lists only the models the plan allows (free: no oss-120b)', async () => {
    const { key } = await t.account({ plan: 'free' });
    const error = await ask(key);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('oss-20b');
    expect(error.message).not.toContain('oss-120b');
  });

  it('lists only the models a scoped key may call', async () => {
    const { key } = await t.account({ plan: 'pro', key: { scopes: ['gemma4'] } });
    const error = await ask(key);
    expect(error.message).toContain('gemma4');
    for (const other of ['oss-20b', 'oss-120b', 'qwen']) expect(error.message).not.toContain(other);
  });
});
