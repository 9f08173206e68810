import Link from 'next/link';
import { LocalTime } from '@/components/ui/local-time';
import type { auditEvents } from '@/db/schema';
import { auditDiff } from '@/lib/domain/audit-export';

type AuditEvent = typeof auditEvents.$inferSelect;

/** One audit event as a compact line; the before/after and request metadata unfold on demand. */
export function AuditEventRow({ event, expandable = false }: { event: AuditEvent; expandable?: boolean }) {
  const summary = (
    <span className="flex flex-wrap items-baseline gap-x-2">
      <span className="font-mono text-xs text-zinc-500">#{event.seq}</span>
      <span className="font-medium">{event.actorName}</span>
      <code className="rounded bg-zinc-100 px-1 text-xs dark:bg-zinc-800">{event.action}</code>
      <span className="text-zinc-600 dark:text-zinc-400">
        {event.targetType} {targetHref(event) && expandable ? <Link className="underline" href={targetHref(event)!}>{shortId(event.targetId)}</Link> : shortId(event.targetId)}
      </span>
      {event.reason && <span className="italic text-zinc-600 dark:text-zinc-400">“{event.reason}”</span>}
      <span className="ml-auto text-xs text-zinc-500">
        <LocalTime value={event.occurredAt} />
      </span>
    </span>
  );
  if (!expandable) return <li className="py-1.5">{summary}</li>;
  return (
    <li className="py-1.5">
      <details>
        <summary className="cursor-pointer list-none">{summary}</summary>
        <Changes before={event.before} after={event.after} />
        <div className="mt-2 grid gap-2 md:grid-cols-3">
          <JsonBlock label="Before" value={event.before} />
          <JsonBlock label="After" value={event.after} />
          <JsonBlock label="Request" value={event.metadata} />
        </div>
        <p className="mt-1 break-all font-mono text-[11px] text-zinc-500">
          hash {event.hash} · previous {event.prevHash}
        </p>
      </details>
    </li>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <pre className="max-h-64 overflow-auto rounded bg-zinc-100 p-2 text-[11px] dark:bg-zinc-950">{value == null ? '—' : JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

/** What changed, field by field (before → after). */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  if (before == null) return null; // a creation: the After block says it all
  const changes = auditDiff(before, after);
  if (changes.length === 0) return null;
  return (
    <table className="mt-2 text-xs" aria-label="Changes">
      <tbody>
        {changes.slice(0, 50).map((c) => (
          <tr key={c.path}>
            <td className="pr-3 font-mono text-zinc-500">{c.path || '(value)'}</td>
            <td className="pr-2 font-mono text-red-700 line-through dark:text-red-400">{c.kind === 'added' ? '' : JSON.stringify(c.before)}</td>
            <td className="font-mono text-green-700 dark:text-green-400">{c.kind === 'removed' ? '' : JSON.stringify(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where the object an event touched lives in the UI, when it has a page. */
function targetHref(event: AuditEvent): string | null {
  const pages: Record<string, string> = { release: '/releases/', experiment: '/experiments/', alert: '/alerts/', incident: '/incidents/' };
  return pages[event.targetType] && /^[0-9a-f-]{36}$/.test(event.targetId) ? `${pages[event.targetType]}${event.targetId}` : null;
}

const shortId = (id: string) => (/^[0-9a-f-]{36}$/.test(id) ? id.slice(0, 8) : id);
