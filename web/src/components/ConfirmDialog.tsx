/**
 * The confirmation every operator action goes through: what will happen, a reason (required where the action
 * affects a customer; it is written to the audit log) and one button that does it. The server's refusal is
 * shown in the dialog; on success the dialog closes and the caller refreshes what changed.
 */
import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { Form, type FieldSpec } from './Form';

export interface ConfirmProps {
  open: boolean;
  title: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  /** A destructive action: the button is red. */
  danger?: boolean;
  /** `required`: customer-affecting, the audit log needs a why; `none`: no reason field. */
  reason?: 'required' | 'optional' | 'none';
  /** Extra fields before the reason (e.g. a plan or an amount), validated by `validate`. */
  fields?: FieldSpec[];
  initial?: Record<string, string>;
  validate?: (values: Record<string, string>) => Record<string, string | null>;
  onConfirm: (values: Record<string, string> & { reason: string }) => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmProps) {
  const reason = props.reason ?? 'required';
  const reasonField: FieldSpec[] =
    reason === 'none'
      ? []
      : [
          {
            name: 'reason',
            label: reason === 'required' ? 'Reason' : 'Reason (optional)',
            maxLength: 500,
            hint: 'Recorded in the audit log with your name.',
          },
        ];
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <Form
        variant="dialog"
        fields={[...(props.fields ?? []), ...reasonField]}
        initial={props.initial}
        validate={(v) => ({
          ...props.validate?.(v),
          reason:
            reason === 'required' && !(v.reason ?? '').trim()
              ? 'Give a reason: it is recorded in the audit log.'
              : null,
        })}
        onSubmit={async (v) => {
          await props.onConfirm({ ...v, reason: (v.reason ?? '').trim() });
          props.onClose();
        }}
        submitLabel={props.confirmLabel}
        busyLabel={props.busyLabel}
        danger={props.danger}
        intro={<div className="confirm-text">{props.children}</div>}
        actions={
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
        }
      />
    </Dialog>
  );
}

/** What to ask: the dialog's props without the open/close plumbing, and the sentence as `body`. */
export type Ask = Omit<ConfirmProps, 'open' | 'onClose' | 'children'> & { body: ReactNode };

/**
 * One confirmation dialog for a page: `ask({...})` opens it for an action, and the element goes anywhere in
 * the page. A page with many row actions needs one dialog, not one per row.
 */
export function useConfirm(): [(ask: Ask) => void, ReactNode] {
  const [asking, setAsking] = useState<Ask | null>(null);
  const dialog = (
    <ConfirmDialog
      {...(asking ?? { title: '', confirmLabel: '', onConfirm: async () => undefined })}
      open={asking !== null}
      onClose={() => setAsking(null)}
    >
      {asking?.body}
    </ConfirmDialog>
  );
  return [setAsking, dialog];
}
