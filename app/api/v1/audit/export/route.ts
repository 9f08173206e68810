import { csvHeader, toCsvRow, toJsonLine } from '@/lib/domain/audit-export';
import { apiRoute } from '@/lib/http/api-route';
import { auditBatches, parseAuditFilters } from '@/lib/queries/audit';
import { authorize } from '@/lib/services/authorize';
import { invalid } from '@/lib/services/errors';

/**
 * GET /api/v1/audit/export?format=jsonl|csv &<the explorer's filters>: the matching events, oldest
 * first, streamed a batch at a time (memory stays flat whatever the size of the log). JSON Lines
 * is the verifiable export (scripts/verify-audit-export.mjs); CSV is for spreadsheets.
 */
export const GET = apiRoute(async ({ req, caller }) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const { format = 'jsonl', ...rest } = params;
  if (format !== 'jsonl' && format !== 'csv') throw invalid('Unknown export format.', { format: ['Expected jsonl or csv'] });
  authorize(caller.actor, 'dashboard.read', 'export the audit log');
  const filters = parseAuditFilters(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== '')));
  const batches = auditBatches(caller, filters);
  const encoder = new TextEncoder();
  let headerSent = format !== 'csv';
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvHeader()));
        return;
      }
      const next = await batches.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((e) => (format === 'csv' ? toCsvRow(e) : toJsonLine(e))).join('')));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(stream, {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="flightdeck-audit-${stamp}.${format}"`,
      'cache-control': 'no-store',
    },
  });
});
