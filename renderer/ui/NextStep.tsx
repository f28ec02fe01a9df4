// The one next thing to do on an empty screen: a link that looks like a button and goes to the screen
// where it is done (screens are hash links, so no router or App change is needed), with a line on why.
import type { ReactNode } from 'react';
import './next-step.css';

export function NextStep({ href, children, why, secondary }: { href: string; children: ReactNode; why?: ReactNode; secondary?: boolean }) {
  return (
    <div className="next-step">
      {why && <p className="next-step-why">{why}</p>}
      <a className={`btn ${secondary ? 'btn-secondary' : 'btn-primary'} next-step-link`} href={href}>
        {children}
      </a>
    </div>
  );
}
