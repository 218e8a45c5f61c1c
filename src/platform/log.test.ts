import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

describe('log redaction', () => {
  it("never writes a database error's bound parameters or a password field", () => {
    const { log, lines } = capture();
    const err = Object.assign(new Error('Failed query'), { params: ['reset-password:TOKEN123'] });
    log.error({ err }, 'unhandled error');
    log.info({ body: { currentPassword: 'PW1', newPassword: 'PW2' } }, 'x');
    const out = lines.join('');
    expect(out).not.toMatch(/TOKEN123|PW1|PW2/);
    expect(out).toContain('[redacted]');
  });
});
