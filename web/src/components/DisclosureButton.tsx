import type { Dispatch, ReactNode, SetStateAction } from 'react';

/**
 * The button that shows or hides a panel on a narrow screen (the account menu, the docs' page list):
 * `aria-expanded` tells a screen reader which, and `aria-controls` names the panel.
 */
export function DisclosureButton(props: {
  open: boolean;
  setOpen: Dispatch<SetStateAction<boolean>>;
  controls: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`btn btn-small ${props.className}`}
      aria-expanded={props.open}
      aria-controls={props.controls}
      onClick={() => props.setOpen((v) => !v)}
    >
      {props.children}
    </button>
  );
}
