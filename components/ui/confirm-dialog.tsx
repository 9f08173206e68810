'use client';

import { useId, useRef, type ReactNode } from 'react';
import { buttonStyles } from './button-styles';

/**
 * A button that asks before it acts. The native <dialog> opened with showModal() traps focus,
 * closes on Escape and restores focus afterwards, which is what a keyboard user needs.
 */
export function ConfirmDialog({
  trigger,
  title,
  children,
  confirmLabel,
  pending,
  onConfirm,
  tone = 'danger',
  disabled,
}: {
  trigger: ReactNode;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  tone?: 'danger' | 'primary';
  disabled?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" className={buttonStyles.secondary} disabled={disabled || pending} onClick={() => ref.current?.showModal()}>
        {pending ? 'Working…' : trigger}
      </button>
      <dialog ref={ref} aria-labelledby={titleId} className="m-auto max-w-md rounded-lg border border-zinc-300 bg-white p-5 text-zinc-900 backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <div className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{children}</div>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={buttonStyles.secondary} onClick={() => ref.current?.close()} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className={tone === 'danger' ? buttonStyles.danger : buttonStyles.primary}
            onClick={() => {
              ref.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
