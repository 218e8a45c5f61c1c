/** A node for a sign-in provider's own component (Clerk's <SignIn/>, <UserButton/>, …), mounted by its SDK. */
import { useEffect, useRef } from 'react';

export function ProviderMount({
  mount,
  className,
  testId,
}: {
  /** Mounts the component into the node; returns the unmount. */
  mount: (node: HTMLDivElement) => () => void;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => (ref.current ? mount(ref.current) : undefined), [mount]);
  return <div ref={ref} className={className} data-testid={testId} />;
}
