/** Client-side checks mirroring the server's, so a form says what is wrong before sending. */
import { keyNameProblem } from '#src/contracts/index.js';

/** The server's key-name rule itself (src/contracts), so the form and the API cannot disagree. */
export function validateKeyName(name: string): string | null {
  return keyNameProblem(name);
}

export function validateExpiry(value: string): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return 'Enter a valid date.';
  if (t <= Date.now()) return 'The expiry date must be in the future.';
  return null;
}

export function validateLimit(value: string, label: string): string | null {
  if (!value.trim()) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) return `${label} must be a whole number of at least 1.`;
  if (n > 100_000_000) return `${label} can be at most 100000000.`;
  return null;
}

export function validateEmail(value: string): string | null {
  if (!value.trim()) return 'Enter your email address.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())) return 'Enter a valid email address.';
  return null;
}

export function validatePassword(value: string): string | null {
  if (value.length < 10) return 'Passwords need at least 10 characters.';
  if (value.length > 128) return 'Passwords can be at most 128 characters.';
  return null;
}

export function validateName(name: string): string | null {
  if (!name.trim()) return 'Enter your name.';
  if (name.trim().length > 100) return 'Names can be at most 100 characters.';
  if (/[<>]/.test(name)) return 'Names cannot contain "<" or ">".';
  return null;
}
