import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { readJsonObject } from './body.js';

describe('readJsonObject', () => {
  it('parses large bodies read together one per event-loop turn, in arrival order', async () => {
    // A ticker counts turns (one setImmediate each); each handler notes the turn its body was parsed in.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const parsedAt: Array<{ n: number; turn: number }> = [];
    const app = new Hono().post('/', async (c) => {
      const body = await readJsonObject(c);
      parsedAt.push({ n: body.n as number, turn });
      return c.json({ ok: true });
    });
    const big = (n: number) => JSON.stringify({ n, text: 'x'.repeat(300_000) });
    try {
      const answers = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          app.request('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big(n) }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    } finally {
      ticking = false;
    }
    expect(parsedAt.map((p) => p.n)).toEqual([1, 2, 3, 4]);
    const turns = parsedAt.map((p) => p.turn);
    expect(new Set(turns).size).toBe(4); // never two in one turn
  });

  it('parses a small body; a large malformed one is refused with invalid_json', async () => {
    const app = new Hono()
      .post('/', async (c) => c.json(await readJsonObject(c)))
      .onError((err, c) => c.json({ code: (err as { code?: string }).code }, 400));
    const headers = { 'content-type': 'application/json' };
    const ok = await app.request('/', { method: 'POST', headers, body: '{"a":1}' });
    expect(await ok.json()).toEqual({ a: 1 });
    const bad = await app.request('/', { method: 'POST', headers, body: `{"a":${'1'.repeat(300_000)}` });
    expect(await bad.json()).toEqual({ code: 'invalid_json' });
  });
});
