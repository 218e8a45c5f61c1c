import { describe, expect, it } from 'vitest';
import { PortalError } from '#src/platform/http/errors.js';
import { fromUnkey } from './unkey-verifier.js';

const meta = {
  portalKeyId: 'key_1',
  orgId: 'org_1',
  models: ['oss-20b'],
  requestsPerMinute: 10,
  tokensPerMinute: null,
};
const answer = (code: string, extra: object = {}) => ({
  valid: code === 'VALID',
  code,
  keyId: 'key_unkey',
  name: 'ci',
  meta,
  identity: { id: 'id_1', externalId: 'org_1' },
  ...extra,
});

describe('fromUnkey', () => {
  it('maps a VALID answer to an active record with scope and limits from meta', () => {
    expect(fromUnkey(answer('VALID'))).toEqual({
      id: 'key_1',
      orgId: 'org_1',
      name: 'ci',
      status: 'active',
      scopes: ['oss-20b'],
      requestsPerMinute: 10,
      tokensPerMinute: null,
      expiresAt: null,
    });
  });

  it('maps DISABLED to a disabled record and EXPIRED to an expiry in the past', () => {
    expect(fromUnkey(answer('DISABLED'))?.status).toBe('disabled');
    const expired = fromUnkey(answer('EXPIRED', { expires: Date.now() - 5 }));
    expect(expired?.expiresAt).toBeLessThanOrEqual(Date.now());
  });

  it('refuses keys without Portal meta, of another organization, or of another API', () => {
    expect(fromUnkey(answer('VALID', { meta: { plan: 'x' } }))).toBeUndefined();
    expect(fromUnkey(answer('VALID', { identity: { id: 'i', externalId: 'org_2' } }))).toBeUndefined();
    expect(fromUnkey(answer('FORBIDDEN'))).toBeUndefined();
    expect(fromUnkey(answer('SOMETHING_NEW'))).toBeUndefined();
  });

  it('passes rate-limit and credit refusals on as 429 errors instead of caching them', () => {
    const codeOf = (code: string) => {
      try {
        fromUnkey(answer(code));
      } catch (err) {
        return (err as PortalError).code;
      }
    };
    expect(codeOf('RATE_LIMITED')).toBe('rate_limit_exceeded');
    expect(codeOf('USAGE_EXCEEDED')).toBe('insufficient_quota');
  });
});
