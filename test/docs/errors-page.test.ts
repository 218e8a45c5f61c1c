/**
 * The Errors page covers every error code Portal can answer: each code of `ERROR_CODES` in
 * src/platform/http/errors.ts has a row with the status and type `describeCode` gives it, and the page lists no
 * code the list lacks.
 */
import { Lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { describeCode, ERROR_CODES, type ErrorCode } from '#src/platform/http/errors.js';
import { loadPages } from './pages.js';

/** Every code Portal can answer: the runtime list the `ErrorCode` type is derived from. */
function errorCodes(): ErrorCode[] {
  return [...ERROR_CODES];
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

  it('reads the whole union (an empty list would make the next checks pass vacuously)', () => {
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
