'use client';

import { useState, type ReactNode } from 'react';
import { auditDiff } from '@/lib/domain/audit-diff';

type Props = { summary: ReactNode; before: unknown; after: unknown; metadata: unknown; hash: string; prevHash: string };

/**
 * An audit event's line that unfolds into what changed, its before/after/request JSON and its
 * hashes. The unfolded part is built in the browser when the row is opened: rendered on the
 * server for all 50 rows of a page it was most of the explorer's HTML (370 kB, every byte sent
 * twice — as HTML and as the React payload) and of its rendering time, for rows nobody opened.
 */
export function AuditEventDetails({ summary, before, after, metadata, hash, prevHash }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer list-none">{summary}</summary>
      {open && (
        <>
          <Changes before={before} after={after} />
          <div className="mt-2 grid gap-2 md:grid-cols-3">
            <JsonBlock label="Before" value={before} />
            <JsonBlock label="After" value={after} />
            <JsonBlock label="Request" value={metadata} />
          </div>
          <p className="mt-1 break-all font-mono text-[11px] text-zinc-500">
            hash {hash} · previous {prevHash}
          </p>
        </>
      )}
    </details>
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
