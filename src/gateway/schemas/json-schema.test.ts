import { describe, expect, it } from 'vitest';
import { schemaProblem } from '#src/contracts/tool-schema.js';
import { cachedSchemas, compileSchema } from '../structured/validate.js';

describe('schemaProblem', () => {
  it('accepts an ordinary function schema', () => {
    expect(
      schemaProblem({
        type: 'object',
        properties: {
          city: { type: 'string', pattern: '^[A-Z][a-z]+$' },
          n: { type: 'string', pattern: '^(\\+|-)?\\d{1,3}(\\.\\d+)?$' },
        },
      }),
    ).toBeUndefined();
  });

  it.each([
    ['nested quantifiers', { properties: { a: { pattern: '^(a+)+$' } } }, /catastrophic backtracking/],
    ['nested star', { patternProperties: { '(\\w*)*x': {} } }, /catastrophic backtracking/],
    ['a repeated alternation', { pattern: '^(a|aa)+$' }, /catastrophic backtracking/],
    ['an invalid regex', { pattern: '(' }, /not a valid regular expression/],
    ['a huge pattern', { pattern: 'a'.repeat(600) }, /at most 512/],
    ['deep nesting', JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)), /deeper than/],
    ['too many values', { enum: Array.from({ length: 6000 }, (_, i) => i) }, /more than 5000/],
    ['too large', { description: 'x'.repeat(70_000) }, /larger than 64 KiB/],
  ])('refuses %s', (_name, schema, message) => {
    expect(schemaProblem(schema as Record<string, unknown>)).toMatch(message);
  });
});

describe('compileSchema', () => {
  it('compiles draft-07 and 2020-12 schemas, once each', () => {
    const before = cachedSchemas();
    const a = compileSchema({ type: 'object', required: ['x'] });
    const b = compileSchema({ type: 'object', required: ['x'] });
    expect(a).toBe(b);
    const c = compileSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{}] });
    expect(a.ok && c.ok).toBe(true);
    expect(cachedSchemas()).toBe(before + 2);
  });

  it('refuses remote references instead of fetching them', () => {
    const got = compileSchema({ $ref: 'https://example.com/schema.json' });
    expect(got.ok).toBe(false);
  });

  it('keeps the cache bounded', () => {
    for (let i = 0; i < 300; i++) compileSchema({ type: 'object', title: `s${i}` });
    expect(cachedSchemas()).toBeLessThanOrEqual(256);
  });
});
