'use client';

import { useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { buttonStyles } from '@/components/ui/button-styles';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { useFormAction } from '@/components/ui/use-form-action';
import { WEBHOOK_EVENTS } from '@/lib/domain/webhook-input';
import { initialActionState, type ActionState } from '@/lib/server/action-state';
import { createWebhookAction, setWebhookActiveAction } from '../actions';

export function CreateWebhookForm() {
  const { state, pending, formRef, onSubmit } = useFormAction(createWebhookAction);
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Create webhook" className="mb-4 space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <Field id="webhook-url" label="URL" hint="https://, or http:// to localhost" errors={errors.url}>
        <input id="webhook-url" name="url" className={inputStyles} aria-invalid={!!errors.url} />
      </Field>
      <Field id="webhook-format" label="Payload" hint="Slack: a { text, blocks } message with a link to act">
        <select id="webhook-format" name="format" className={inputStyles} defaultValue="flightdeck">
          <option value="flightdeck">Flightdeck event JSON</option>
          <option value="slack">Slack-compatible</option>
        </select>
      </Field>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Events</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="inline-flex items-center gap-1 text-xs">
            <input type="checkbox" name="events" value={event} defaultChecked={event === 'release.rollback'} /> {event}
          </label>
        ))}
        {errors.events && <p className="w-full text-xs text-red-700 dark:text-red-400">{errors.events.join(' ')}</p>}
      </fieldset>
      <FormMessage state={state} />
      {state.result && (
        <div className="flex items-center gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 dark:border-amber-800 dark:bg-amber-950">
          <code data-testid="webhook-secret" className="break-all font-mono text-xs">{state.result.secret}</code>
          <CopyButton text={state.result.secret} />
        </div>
      )}
      <button type="submit" className={buttonStyles.primary} disabled={pending}>
        {pending ? 'Creating…' : 'Create webhook'}
      </button>
    </form>
  );
}

type Delivery = { id: number; event: string; state: string; statusCode: number | null; error: string | null; durationMs: number | null; attemptedAt: Date };

/** One webhook: on/off and its recent deliveries (signed with HMAC-SHA256, retried with backoff). */
export function WebhookRow({ webhook, deliveries }: { webhook: { id: string; url: string; events: string[]; active: boolean; format?: string }; deliveries: Delivery[] }) {
  const [state, setState] = useState<ActionState>(initialActionState);
  const [pending, start] = useTransition();
  return (
    <li className="py-2">
      <div className="flex flex-wrap items-center gap-2">
        <code className="font-mono text-xs">{webhook.url}</code>
        <Badge tone={webhook.active ? 'green' : 'neutral'}>{webhook.active ? 'active' : 'disabled'}</Badge>
        <span className="text-xs text-zinc-500">{webhook.events.join(', ')}{webhook.format === 'slack' ? ' · Slack format' : ''}</span>
        <button type="button" className={`${buttonStyles.secondary} ml-auto`} disabled={pending} onClick={() => start(async () => setState(await setWebhookActiveAction(webhook.id, !webhook.active)))}>
          {webhook.active ? 'Disable' : 'Enable'}
        </button>
      </div>
      <FormMessage state={state} />
      <details className="mt-1">
        <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">Delivery log ({deliveries.length})</summary>
        {deliveries.length === 0 ? (
          <p className="text-xs text-zinc-500">Nothing delivered yet.</p>
        ) : (
          <table className="mt-1 w-full text-left text-xs">
            <thead className="text-zinc-500">
              <tr>
                <th className="font-medium">When</th>
                <th className="font-medium">Event</th>
                <th className="font-medium">Result</th>
                <th className="font-medium">Outbox</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td><LocalTime value={d.attemptedAt} /></td>
                  <td>{d.event}</td>
                  <td>{d.statusCode ? `HTTP ${d.statusCode}` : d.error}{d.durationMs !== null && ` · ${d.durationMs} ms`}</td>
                  <td>{d.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </li>
  );
}
