'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { decideExperimentAction } from '@/app/(dashboard)/experiments/actions';
import { Badge } from '@/components/ui/badge';
import { buttonStyles } from '@/components/ui/button-styles';
import { inputStyles } from '@/components/ui/field';
import type { ExperimentResults } from '@/lib/domain/experiment-results';
import type { ActionState } from '@/lib/server/action-state';

const RECOMMENDATION = {
  ship: { tone: 'green', label: 'Ship' },
  roll_back: { tone: 'red', label: 'Roll back' },
  keep_running: { tone: 'blue', label: 'Keep running' },
} as const;

type Props = {
  experimentId: string;
  name: string;
  treatments: string[];
  decision: ExperimentResults['decision'];
  /** running or paused: a decision can be taken */
  open: boolean;
  allowed: boolean;
  whyNot: string;
};

/**
 * The recommended decision with its reasons, and the two decisions a person takes: ship a
 * treatment (a promotion request that still needs its approvals) or roll back. Both ask once,
 * with a reason, and say what happened; shipping is disabled with the reason while it is blocked.
 */
export function DecisionPanel({ experimentId, name, treatments, decision, open, allowed, whyNot }: Props) {
  const [verb, setVerb] = useState<'ship' | 'roll_back'>('ship');
  const [arm, setArm] = useState(decision.arm ?? treatments[0]!);
  const [strategy, setStrategy] = useState<'canary' | 'immediate'>('canary');
  const [reason, setReason] = useState('');
  const [state, setState] = useState<ActionState<{ promotionReleaseId: string | null; incidentId: string | null }> | null>(null);
  const [pending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const router = useRouter();
  const rec = RECOMMENDATION[decision.recommendation];
  const srmBlocked = decision.shipBlockedBy.some((b) => b.startsWith('Sample ratio mismatch'));
  const shipBlocked = srmBlocked || treatments.every((t) => decision.shipBlockedBy.some((b) => b.startsWith(`${t} `)));

  const ask = (v: 'ship' | 'roll_back') => {
    setVerb(v);
    setReason(v === 'ship' ? (decision.recommendation === 'ship' ? decision.reasons[0] ?? '' : '') : decision.recommendation === 'roll_back' ? decision.reasons.join('; ') : '');
    dialog.current?.showModal();
  };
  const confirm = () => {
    dialog.current?.close();
    startTransition(async () => {
      setState(await decideExperimentAction(verb === 'ship' ? { experimentId, decision: 'ship', arm, strategy, reason } : { experimentId, decision: 'roll_back', reason }));
      router.refresh();
    });
  };

  return (
    <div className="space-y-3" data-testid="decision-panel">
      <div className="flex items-center gap-2">
        <span className="text-sm text-zinc-600 dark:text-zinc-400">Recommendation:</span>
        <Badge tone={rec.tone}>{rec.label}{decision.arm ? ` ${decision.arm}` : ''}</Badge>
      </div>
      <ul className="list-disc space-y-1 pl-5 text-sm">
        {decision.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {decision.shipBlockedBy.length > 0 && (
        <div className="text-sm">
          <p className="font-medium text-red-700 dark:text-red-400">Shipping is blocked for:</p>
          <ul className="list-disc pl-5 text-red-700 dark:text-red-400">
            {decision.shipBlockedBy.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      {open && (
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className={buttonStyles.primary} disabled={!allowed || shipBlocked || pending} title={!allowed ? whyNot : shipBlocked ? 'Blocked: see above' : undefined} onClick={() => ask('ship')}>
            {pending && verb === 'ship' ? 'Shipping…' : 'Ship a treatment…'}
          </button>
          <button type="button" className={buttonStyles.danger} disabled={!allowed || pending} title={allowed ? undefined : whyNot} onClick={() => ask('roll_back')}>
            {pending && verb === 'roll_back' ? 'Rolling back…' : 'Stop and roll back…'}
          </button>
          {!allowed && <span className="text-xs text-zinc-500">{whyNot}</span>}
        </div>
      )}
      <p aria-live="polite" role="status" className="text-sm">
        {state?.status === 'ok' && (
          <span className="text-green-700 dark:text-green-400">
            {state.message}{' '}
            {state.result?.promotionReleaseId && (
              <Link className="underline" href={`/releases/${state.result.promotionReleaseId}`}>
                Open the promotion
              </Link>
            )}
          </span>
        )}
        {state?.status === 'error' && (
          <span role="alert" className="text-red-700 dark:text-red-400">
            {state.message}
            {state.fieldErrors && ` (${Object.entries(state.fieldErrors).map(([f, m]) => `${f}: ${m.join(', ')}`).join('; ')})`}
          </span>
        )}
      </p>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-zinc-300 bg-white p-5 text-zinc-900 backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
        <h2 id={titleId} className="text-base font-semibold">
          {verb === 'ship' ? `Ship a treatment of “${name}”?` : `Stop “${name}” and roll back?`}
        </h2>
        <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
          {verb === 'ship'
            ? 'The experiment ends (every unit returns to control) and a release of the chosen version is requested; the environment’s approvals apply before it takes traffic.'
            : 'Every unit returns to control at once and an incident is opened.'}
        </p>
        <div className="mt-3 space-y-3">
          {verb === 'ship' && (
            <div className="grid grid-cols-2 gap-3">
              <label className="text-xs font-medium">
                Treatment
                <select className={inputStyles} value={arm} onChange={(e) => setArm(e.target.value)}>
                  {treatments.map((t) => (
                    <option key={t} value={t}>{t}</option>
                  ))}
                </select>
              </label>
              <label className="text-xs font-medium">
                Roll out as
                <select className={inputStyles} value={strategy} onChange={(e) => setStrategy(e.target.value as 'canary' | 'immediate')}>
                  <option value="canary">Canary (the environment’s plan)</option>
                  <option value="immediate">Immediate (100 % at once)</option>
                </select>
              </label>
            </div>
          )}
          <label className="block text-xs font-medium">
            Reason (kept with the decision{verb === 'roll_back' ? ' and in the incident' : ''})
            <textarea className={inputStyles} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
          </label>
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={buttonStyles.secondary} onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="button" className={verb === 'ship' ? buttonStyles.primary : buttonStyles.danger} disabled={reason.trim().length < 3} onClick={confirm}>
            {verb === 'ship' ? `Ship ${arm}` : 'Roll back'}
          </button>
        </div>
      </dialog>
    </div>
  );
}
