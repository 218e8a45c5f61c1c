/**
 * What a new password must be: 10–128 characters and not a common or easily guessed one. "Common" is
 * zxcvbn's estimate (score 3 of 4 or more: about 10^8 guesses and up) over its maintained dictionaries of
 * leaked passwords, names and words, plus the account's own email and name. Offline: no password leaves
 * the process.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
const MIN_SCORE = 3;

let zxcvbn: ZxcvbnFactory | undefined;

/** Why `password` is refused, or null when it is acceptable. */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Passwords can be at most ${MAX_PASSWORD_LENGTH} characters.`;
  zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const inputs = userInputs.filter((s) => s.length >= 3);
  if (zxcvbn.check(password, inputs).score < MIN_SCORE)
    return 'This password is too common or easy to guess; try a few unrelated words.';
  return null;
}
