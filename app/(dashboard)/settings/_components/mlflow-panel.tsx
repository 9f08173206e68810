'use client';

import { useActionState } from 'react';
import { Badge } from '@/components/ui/badge';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormMessage } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { EmptyState, Panel } from '@/components/ui/panel';
import type { getMlflowIntegration } from '@/lib/queries/integrations';
import { initialActionState } from '@/lib/server/action-state';
import type { MlflowSyncScope } from '@/lib/domain/mlflow-webhook';
import type { MlflowSyncReport } from '@/lib/server/mlflow/sync';
import { syncMlflowAction } from '../mlflow-actions';

type Integration = Awaited<ReturnType<typeof getMlflowIntegration>>;
type Pass = Integration['recent'][number];

const WEBHOOK_PATH = '/api/v1/integrations/mlflow/webhook';

function schedule(seconds: number | null): string {
  if (!seconds) return 'on demand only (and by webhook)';
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  return seconds % 60 === 0 ? `every ${seconds / 60} min` : `every ${seconds} s`;
}

/** The MLflow registry sync: how it is set up, "Sync now", and the last passes with what each imported or skipped. */
export function MlflowPanel({ integration, canSync, reason }: { integration: Integration; canSync: boolean; reason: string }) {
  return (
    <Panel title="MLflow registry" className="mt-4">
      {integration.configured ? <Configured integration={integration} canSync={canSync} reason={reason} /> : <NotConfigured />}
    </Panel>
  );
}

function NotConfigured() {
  return (
    <div className="space-y-2 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        Not configured. Flightdeck can import registered models and their READY versions (signature, run metrics and parameters, stage and aliases) from an MLflow tracking
        server. Set these on the server and restart it:
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
        <dt><code>FLIGHTDECK_MLFLOW_URL</code></dt>
        <dd>the tracking server, e.g. <code>http://mlflow:5000</code></dd>
        <dt><code>FLIGHTDECK_MLFLOW_TOKEN</code></dt>
        <dd>optional: a bearer token, when the server asks for one</dd>
        <dt><code>FLIGHTDECK_MLFLOW_SYNC_SECONDS</code></dt>
        <dd>optional: how often to sync, 10–86400 seconds (default 300); 0 syncs only on demand and by webhook</dd>
        <dt><code>FLIGHTDECK_MLFLOW_WEBHOOK_SECRET</code></dt>
        <dd>
          optional, 16+ characters: the secret of an MLflow registry webhook pointed at <code>{WEBHOOK_PATH}</code> on this server, so new versions arrive without waiting for the schedule
        </dd>
      </dl>
    </div>
  );
}

function Configured({ integration, canSync, reason }: { integration: Integration; canSync: boolean; reason: string }) {
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="mlflow-config">
          <dt className="text-zinc-500">Server</dt>
          <dd><code>{integration.server}</code></dd>
          <dt className="text-zinc-500">Schedule</dt>
          <dd>{schedule(integration.syncSeconds)}</dd>
          <dt className="text-zinc-500">Webhooks</dt>
          <dd>{integration.webhooks ? <>on: MLflow posts to <code>{WEBHOOK_PATH}</code></> : 'off (set FLIGHTDECK_MLFLOW_WEBHOOK_SECRET to accept them)'}</dd>
        </dl>
        {canSync ? <SyncNow /> : <p className="text-sm text-zinc-600 dark:text-zinc-400">{reason} to sync from MLflow.</p>}
      </div>
      {integration.recent.length === 0 ? (
        <EmptyState title="No syncs yet">
          {integration.syncSeconds ? `The schedule runs the first pass within ${schedule(integration.syncSeconds).replace('every ', '')}. ` : ''}
          {canSync ? 'Sync now to import every registered model and its READY versions.' : 'An ML lead or admin can sync now.'}
        </EmptyState>
      ) : (
        <PassTable passes={integration.recent} />
      )}
    </div>
  );
}

function SyncNow() {
  const [state, dispatch, pending] = useActionState(syncMlflowAction, initialActionState);
  return (
    <form action={dispatch} aria-label="Sync from MLflow" className="flex max-w-md flex-col items-end gap-1 text-right">
      <button type="submit" className={buttonStyles.primary} disabled={pending} aria-busy={pending}>
        {pending ? 'Syncing…' : 'Sync now'}
      </button>
      <FormMessage state={pending ? { status: 'idle' } : state} />
    </form>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "+2 models · +3 versions · 1 skipped": only what is not zero. */
function counts(r: MlflowSyncReport): string {
  const parts = [
    r.modelsCreated.length && `+${plural(r.modelsCreated.length, 'model')}`,
    r.versionsRegistered.length && `+${plural(r.versionsRegistered.length, 'version')}`,
    r.versionsRetagged.length && `${r.versionsRetagged.length} retagged`,
    r.unchanged && `${r.unchanged} unchanged`,
    r.skipped.length && `${r.skipped.length} skipped`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'nothing to import';
}

function PassTable({ passes }: { passes: Pass[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="mlflow-passes">
        <caption className="sr-only">Recent MLflow sync passes, newest first</caption>
        <thead className="text-xs text-zinc-500">
          <tr>
            <th className="py-1.5 pr-3 font-medium">Finished</th>
            <th className="py-1.5 pr-3 font-medium">Trigger</th>
            <th className="py-1.5 pr-3 font-medium">By</th>
            <th className="py-1.5 pr-3 font-medium">Status</th>
            <th className="py-1.5 pr-3 font-medium">Result</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {passes.map((pass) => (
            <PassRow key={pass.id} pass={pass} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PassRow({ pass }: { pass: Pass }) {
  const report = pass.report as MlflowSyncReport | null;
  const scope = pass.scope as MlflowSyncScope;
  const notes = [...(report?.skipped.map((s) => (s.message.includes(s.model) ? s.message : `${s.model}${s.version ? ` v${s.version}` : ''}: ${s.message}`)) ?? []), ...(report?.warnings ?? [])];
  return (
    <tr className="align-top">
      <td className="py-2 pr-3"><LocalTime value={pass.finishedAt} /></td>
      <td className="py-2 pr-3">
        {pass.trigger}
        {scope.model && <span className="block text-xs text-zinc-500">{scope.model}{scope.version ? ` v${scope.version}` : ''}</span>}
      </td>
      <td className="py-2 pr-3">{pass.actorName}</td>
      <td className="py-2 pr-3"><Badge tone={pass.status === 'ok' ? 'green' : 'red'}>{pass.status}</Badge></td>
      <td className="py-2 pr-3">
        {report ? (
          <>
            <span>{counts(report)}</span>
            {notes.length > 0 && (
              <details className="mt-1 text-xs">
                <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">
                  {[report.skipped.length && `${report.skipped.length} skipped`, report.warnings.length && plural(report.warnings.length, 'warning')].filter(Boolean).join(', ')}
                </summary>
                <ul className="mt-1 list-disc space-y-0.5 pl-4">
                  {notes.map((note, i) => (
                    <li key={i}>{note}</li>
                  ))}
                </ul>
              </details>
            )}
          </>
        ) : (
          <details className="text-xs">
            <summary className="cursor-pointer text-red-700 dark:text-red-400">MLflow could not be read</summary>
            <p className="mt-1 break-words">{pass.error}</p>
          </details>
        )}
      </td>
    </tr>
  );
}
