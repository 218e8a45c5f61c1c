/**
 * The Errors page covers every error code Portal can answer: each code of the `ErrorCode` union in
 * src/platform/http/errors.ts has a row with the status and type `describeCode` gives it, and the page lists no
 * code the union lacks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { describeCode, type ErrorCode } from '#src/platform/http/errors.js';
import { loadPages, ROOT } from './pages.js';

/** The union's members, read from the source: the type has no runtime list. */
function errorCodes(): ErrorCode[] {
  const text = readFileSync(join(ROOT, 'src/platform/http/errors.ts'), 'utf8');
  const union = text.slice(
    text.indexOf('export type ErrorCode ='),
    text.indexOf(';', text.indexOf('export type ErrorCode =')),
  );
  return [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1] as ErrorCode);
}

function errorRows(): Map<string, { status: number; type: string }> {
  const page = loadPages().find((p) => p.slug === 'errors')!;
  const table = new Lexer().lex(page.source).find((t) => t.type === 'table') as Tokens.Table;
  const plain = (cell: Tokens.TableCell | undefined) => (cell?.text ?? '').replace(/`/g, '').trim();
  return new Map(
    table.rows.map((row) => [plain(row[0]), { status: Number(plain(row[1])), type: plain(row[2]) }]),
  );
}

describe('the Errors page', () => {
  const codes = errorCodes();
  const rows = errorRows();

  it('reads the whole union (a broken read would make the next checks pass vacuously)', () => {
    expect(codes.length).toBeGreaterThanOrEqual(28);
    expect(codes).toContain('insufficient_quota');
  });

  it.each(codes)('documents %s with its real status and type', (code) => {
    expect(rows.get(code)).toEqual({ status: describeCode(code).status, type: describeCode(code).type });
  });

  it('lists no code Portal does not have', () => {
    expect([...rows.keys()].filter((c) => !codes.includes(c as ErrorCode))).toEqual([]);
  });
});
