/**
 * The dashboard's one form: labelled fields from a list, client-side checks before sending, a busy
 * button, the server's refusal shown at the top (or at the field it names), and a done notice. Sign-in,
 * sign-up, password reset, profile and key dialogs are each a list of fields and one submit function.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../lib/api';
import { Field } from './Field';
import { Notice } from './States';
import type { FieldSpec } from './field-spec';

export type { FieldSpec };

export type Values = Record<string, string>;
export type Problems = Record<string, string | null | undefined>;

export interface FormProps {
  fields: FieldSpec[];
  initial?: Values;
  /** Problems by field name, found before sending (null or absent: fine). */
  validate?: (values: Values) => Problems;
  /** Sends the form; a returned node is shown as the done notice. */
  onSubmit: (values: Values) => Promise<ReactNode | void>;
  submitLabel: string;
  busyLabel?: string;
  /** Auth pages: a full-width button, and the done notice replaces the form. */
  variant?: 'auth' | 'card' | 'dialog';
  /** Which field a server refusal belongs to (else it is shown above the fields). */
  fieldOfError?: (err: unknown) => string | null;
  /** Shown between the fields and the buttons; a function gets the current problems (for its own inputs). */
  children?: ReactNode | ((problems: Problems) => ReactNode);
  /** Buttons before the submit button (e.g. Cancel). */
  actions?: ReactNode;
  onValues?: (values: Values) => void;
  /** Shown above the fields (a confirmation's sentence). */
  intro?: ReactNode;
  /** The submit button is a destructive action's red one. */
  danger?: boolean;
}

const CLASS = { auth: undefined, card: 'narrow', dialog: 'dialog-body' } as const;

export function Form(props: FormProps) {
  const { fields, variant = 'card' } = props;
  const empty = Object.fromEntries(fields.map((f) => [f.name, ''])) as Values;
  const [values, setValues] = useState<Values>({ ...empty, ...props.initial });
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReactNode>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const found = props.validate?.(values) ?? {};
    setProblems(found);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    try {
      const result = await props.onSubmit(values);
      if (result) setDone(result);
    } catch (err) {
      const field = props.fieldOfError?.(err) ?? 'form';
      setProblems({ [field]: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  if (done && variant === 'auth') return <Notice>{done}</Notice>;
  const change = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const next = { ...values, [name]: e.target.value };
    setValues(next);
    // A field's complaint goes once it is edited; the next submit checks again.
    if (problems[name]) setProblems({ ...problems, [name]: null });
    props.onValues?.(next);
  };
  const button = (
    <button
      className={
        variant === 'auth' ? 'btn btn-primary btn-block' : props.danger ? 'btn btn-danger' : 'btn btn-primary'
      }
      type="submit"
      disabled={busy}
    >
      {busy ? (props.busyLabel ?? props.submitLabel) : props.submitLabel}
    </button>
  );
  return (
    <form onSubmit={submit} noValidate className={CLASS[variant]}>
      {props.intro}
      {problems.form && <Notice tone="error">{problems.form}</Notice>}
      {fields.map(({ name, ...spec }, i) => (
        <Field
          key={name}
          {...spec}
          autoFocus={spec.autoFocus ?? (variant !== 'card' && i === 0)}
          value={values[name] ?? ''}
          onChange={change(name)}
          error={problems[name]}
        />
      ))}
      {typeof props.children === 'function' ? props.children(problems) : props.children}
      {done && <Notice>{done}</Notice>}
      {variant === 'dialog' ? (
        <div className="dialog-actions">
          {props.actions}
          {button}
        </div>
      ) : (
        button
      )}
    </form>
  );
}
