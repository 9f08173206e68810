import Link from 'next/link';
import { LocalTime } from '@/components/ui/local-time';
import type { auditEvents } from '@/db/schema';
import { AuditEventDetails } from './audit-event-details';

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
      <AuditEventDetails summary={summary} before={event.before} after={event.after} metadata={event.metadata} hash={event.hash} prevHash={event.prevHash} />
    </li>
  );
}

/** Where the object an event touched lives in the UI, when it has a page. */
function targetHref(event: AuditEvent): string | null {
  const pages: Record<string, string> = { release: '/releases/', experiment: '/experiments/', alert: '/alerts/', incident: '/incidents/' };
  return pages[event.targetType] && /^[0-9a-f-]{36}$/.test(event.targetId) ? `${pages[event.targetType]}${event.targetId}` : null;
}

const shortId = (id: string) => (/^[0-9a-f-]{36}$/.test(id) ? id.slice(0, 8) : id);
