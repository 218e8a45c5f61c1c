/** An organization's three operator actions, each a confirmation with a reason for the audit log. */
import type { Ask } from '../components/ConfirmDialog';
import type { useAdminAction } from '../lib/admin';
import { seg } from '../lib/admin';
import type { AdminOrg, PlanInfo } from '../lib/types';

const DOLLARS = /^\d+(\.\d{1,2})?$/;

export function orgActions(
  o: AdminOrg,
  plans: PlanInfo[],
  act: ReturnType<typeof useAdminAction>,
  ask: (a: Ask) => void,
) {
  const base = `/orgs/${seg(o.id)}`;
  const toggle = () => {
    const disable = o.status === 'active';
    ask({
      title: disable ? `Disable ${o.name}?` : `Enable ${o.name}?`,
      body: disable ? (
        <p>
          Every key of <strong>{o.name}</strong> is refused with <code>account_disabled</code> at once. Its
          members still sign in and see a notice.
        </p>
      ) : (
        <p>
          <strong>{o.name}</strong>’s keys work again.
        </p>
      ),
      confirmLabel: disable ? 'Disable organization' : 'Enable organization',
      danger: disable,
      onConfirm: async ({ reason }) => {
        await act('POST', `${base}/${disable ? 'disable' : 'enable'}`, { reason });
      },
    });
  };
  const changePlan = () =>
    ask({
      title: `Change ${o.name}’s plan`,
      body: <p>The new plan’s limits and models apply to the next request.</p>,
      confirmLabel: 'Change plan',
      fields: [
        { name: 'plan_id', label: 'Plan', options: plans.map((p) => ({ value: p.id, label: p.name })) },
      ],
      initial: { plan_id: o.plan?.id ?? plans[0]?.id ?? '' },
      validate: (v) => ({ plan_id: v.plan_id ? null : 'Choose a plan.' }),
      onConfirm: async ({ plan_id, reason }) => {
        await act('POST', `${base}/plan`, { plan_id, reason });
      },
    });
  const grant = () =>
    ask({
      title: `Grant credits to ${o.name}`,
      body: <p>Credit is added to the organization’s prepaid balance and shown on its Plan page.</p>,
      confirmLabel: 'Grant credits',
      fields: [
        { name: 'amount', label: 'Amount (USD)', inputMode: 'decimal', placeholder: '25.00' },
        {
          name: 'description',
          label: 'Ledger line',
          maxLength: 500,
          hint: 'Shown to the customer on their Plan page.',
        },
      ],
      initial: { description: 'Credit grant' },
      validate: (v) => ({
        amount:
          DOLLARS.test((v.amount ?? '').trim()) && Number(v.amount) > 0
            ? null
            : 'A positive amount in dollars, e.g. 25 or 12.50.',
      }),
      onConfirm: async ({ amount, description, reason }) => {
        const amount_micros = Math.round(Number(amount) * 1_000_000);
        await act('POST', `${base}/ledger`, { kind: 'grant', amount_micros, description, reason });
      },
    });
  return { toggle, changePlan, grant };
}
