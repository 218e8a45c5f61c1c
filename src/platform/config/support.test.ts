import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

describe('support contact config', () => {
  it('is optional: neither channel by default', () => {
    expect(loadConfig({ env: {} }).support).toEqual({});
  });

  it('reads PORTAL_SUPPORT_URL and PORTAL_SUPPORT_EMAIL', () => {
    const config = loadConfig({
      env: { PORTAL_SUPPORT_URL: 'https://help.example.com', PORTAL_SUPPORT_EMAIL: 'help@example.com' },
    });
    expect(config.support).toEqual({ url: 'https://help.example.com', email: 'help@example.com' });
  });

  it('refuses a non-http URL and a malformed address, naming the field', () => {
    expect(() => loadConfig({ env: { PORTAL_SUPPORT_URL: 'javascript:alert(1)' } })).toThrow(
      new ConfigError('config: support.url: must be an http(s) URL, e.g. https://example.com/help'),
    );
    expect(() => loadConfig({ env: { PORTAL_SUPPORT_EMAIL: 'not an address' } })).toThrow(
      /config: support\.email: must be an email address/,
    );
  });
});
