/** One field of a Form (./Form.tsx): kept apart from the component so plain modules and tests can use it. */
import type { InputHTMLAttributes, ReactNode } from 'react';

export interface FieldSpec extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'name' | 'value' | 'onChange'
> {
  name: string;
  label: string;
  hint?: ReactNode;
  /** A choice from a list (drawn as a select). */
  options?: ReadonlyArray<{ value: string; label: string }>;
}
