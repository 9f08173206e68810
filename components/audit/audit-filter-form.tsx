'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { buttonStyles } from '@/components/ui/button-styles';
import { inputStyles } from '@/components/ui/field';

const FIELDS = [
  ['q', 'Search reasons and values', 'e.g. error rate'],
  ['actor', 'Actor', 'name or id'],
  ['action', 'Action', 'release.rollback, or release.'],
  ['model', 'Model', 'fraud-detector'],
  ['environment', 'Environment', 'production'],
  ['release', 'Release id', 'uuid'],
] as const;

/** datetime-local value (the reader's zone) ↔ ISO instant. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The explorer's filters, kept in the URL (shareable); times are entered in the reader's zone. */
export function AuditFilterForm({ initial }: { initial: Record<string, string | undefined> }) {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>(() => ({
    ...Object.fromEntries(FIELDS.map(([k]) => [k, initial[k] ?? ''])),
    from: toLocal(initial.from),
    to: toLocal(initial.to),
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [k] of FIELDS) if (values[k]) params.set(k, values[k]!);
    if (values.from) params.set('from', toIso(values.from));
    if (values.to) params.set('to', toIso(values.to));
    router.push(`/audit${params.size ? `?${params}` : ''}`);
  };
  const set = (k: string) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  return (
    <form onSubmit={submit} aria-label="Filter the audit log" className="mb-3 grid gap-2 text-sm sm:grid-cols-4">
      {FIELDS.map(([k, label, placeholder]) => (
        <label key={k} className="text-xs font-medium">
          {label}
          <input name={k} value={values[k]} onChange={set(k)} placeholder={placeholder} className={inputStyles} />
        </label>
      ))}
      <label className="text-xs font-medium">
        From (your time)
        <input type="datetime-local" name="from" value={values.from} onChange={set('from')} className={inputStyles} />
      </label>
      <label className="text-xs font-medium">
        To (your time)
        <input type="datetime-local" name="to" value={values.to} onChange={set('to')} className={inputStyles} />
      </label>
      <div className="flex items-end gap-2 sm:col-span-4">
        <button type="submit" className={buttonStyles.secondary}>
          Filter
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={() => router.push('/audit')}>
          Clear
        </button>
      </div>
    </form>
  );
}
