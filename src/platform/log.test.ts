import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { accessLoggerOf, createLogger } from './log.js';

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

describe('access logger', () => {
  it("writes to the process logger's destination, with its level and bindings", () => {
    const { log, lines } = capture();
    const worker = log.child({ worker: 2, pid: 4242 });
    const access = accessLoggerOf(worker);
    access.info({ requestId: 'req_1', status: 200 }, 'request');
    access.debug({ requestId: 'req_2' }, 'request');
    const written = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      service: 'portal',
      worker: 2,
      pid: 4242,
      requestId: 'req_1',
      msg: 'request',
    });
  });
});
