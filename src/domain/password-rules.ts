/**
 * What a new password must be: 10–128 characters and not a common or easily guessed one. "Common" is
 * zxcvbn's estimate (score 3 of 4 or more: about 10^8 guesses and up) over its maintained dictionaries of
 * leaked passwords, names and words, plus the account's own email and name. Offline: no password leaves
 * the process. The dictionaries (a few MB) load on the first check, not at start-up.
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
const MIN_SCORE = 3;

let zxcvbn: Promise<ZxcvbnFactory> | undefined;

async function loadZxcvbn(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
  ]);
  return new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
}

/** Why `password` is refused, or null when it is acceptable. */
export async function passwordProblem(password: string, userInputs: string[] = []): Promise<string | null> {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Passwords can be at most ${MAX_PASSWORD_LENGTH} characters.`;
  const checker = await (zxcvbn ??= loadZxcvbn());
  const inputs = userInputs.filter((s) => s.length >= 3);
  if (checker.check(password, inputs).score < MIN_SCORE)
    return 'This password is too common or easy to guess; try a few unrelated words.';
  return null;
}
