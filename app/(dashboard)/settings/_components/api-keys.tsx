'use client';

import { useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonStyles } from '@/components/ui/button-styles';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { SCOPES } from '@/lib/domain/roles';
import { initialActionState, type ActionState } from '@/lib/server/action-state';
import type { PublicApiKey } from '@/lib/services/api-keys/public-api-key';
import { createApiKeyAction, revokeApiKeyAction } from '../actions';
import { RoleCheckboxes } from './role-checkboxes';

export function CreateApiKeyForm() {
  const { state, pending, formRef, onSubmit } = useFormAction(createApiKeyAction);
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Create API key" className="mb-4 space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="key-name" label="Name" hint="Who uses it, e.g. github-actions" errors={errors.name}>
          <input id="key-name" name="name" required className={inputStyles} aria-invalid={!!errors.name} />
        </Field>
        <Field id="key-expiry" label="Expires after (days)" hint="Empty: never" errors={errors.expiresInDays}>
          <input id="key-expiry" name="expiresInDays" type="number" min={1} max={3650} className={inputStyles} />
        </Field>
      </div>
      <div>
        <p className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Service account roles</p>
        <RoleCheckboxes name="roles" selected={['ml_lead']} idPrefix="key-role" />
      </div>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="inline-flex items-center gap-1">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'read' || scope === 'registry'} /> {scope}
          </label>
        ))}
        {errors.scopes && <p className="w-full text-xs text-red-700 dark:text-red-400">{errors.scopes.join(' ')}</p>}
      </fieldset>
      <FormMessage state={state} />
      {state.result && <ShownOnce secret={state.result.secret} />}
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}

function ShownOnce({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950">
      <p className="text-xs font-medium">This is the only time the key is shown. Store it in your CI secrets now.</p>
      <div className="mt-1 flex items-center gap-2">
        <code data-testid="new-api-key" className="break-all font-mono text-xs">
          {secret}
        </code>
        <button
          type="button"
          className={buttonStyles.secondary}
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

export function ApiKeyRow({ apiKey }: { apiKey: PublicApiKey }) {
  const [state, setState] = useState<ActionState>(initialActionState);
  const [pending, startTransition] = useTransition();
  const expired = apiKey.expiresAt !== null && new Date(apiKey.expiresAt) < new Date();
  return (
    <li className="flex flex-wrap items-center gap-3 py-2">
      <div className="min-w-48">
        <p className="font-medium">
          {apiKey.name} {apiKey.revokedAt ? <Badge tone="red">revoked</Badge> : expired ? <Badge tone="neutral">expired</Badge> : <Badge tone="green">active</Badge>}
        </p>
        <p className="font-mono text-xs text-zinc-500">{apiKey.prefix}…</p>
      </div>
      <p className="text-xs">
        roles {apiKey.roles.join(', ') || 'viewer'} · scopes {apiKey.scopes.join(', ')}
      </p>
      <p className="text-xs text-zinc-500">last used {apiKey.lastUsedAt ? <LocalTime value={apiKey.lastUsedAt} /> : 'never'}</p>
      {!apiKey.revokedAt && (
        <div className="ml-auto">
          <ConfirmDialog
            trigger="Revoke"
            title={`Revoke ${apiKey.name}?`}
            confirmLabel="Revoke key"
            pending={pending}
            onConfirm={() => startTransition(async () => setState(await revokeApiKeyAction(apiKey.id)))}
          >
            Anything using <code className="font-mono">{apiKey.prefix}…</code> is refused from the next request on. This cannot be undone.
          </ConfirmDialog>
        </div>
      )}
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </li>
  );
}
