'use client';

import { useState, type ReactNode } from 'react';
import { buttonStyles } from './button-styles';

/**
 * A button that opens a form in place. Shown to everyone: disabled with the reason for roles that
 * may not use it (UI.md), or with `unavailable` when the role may but there is nothing to do now.
 */
export function FormLauncher({ label, allowed, reason, unavailable, children }: { label: string; allowed: boolean; reason: string; unavailable?: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  if (open) return <>{children(() => setOpen(false))}</>;
  const why = !allowed ? reason : unavailable;
  return (
    <div className="flex items-center gap-2">
      {why && <span className="text-xs text-zinc-500">{why}</span>}
      <button type="button" className={buttonStyles.primary} disabled={Boolean(why)} title={why} onClick={() => setOpen(true)}>
        {label}
      </button>
    </div>
  );
}
