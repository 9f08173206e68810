import { apiRoute } from '@/lib/http/api-route';
import { getReleaseRecord } from '@/lib/queries/release-record';

/** The release's evidence pack as JSON (?download=1 to save it as a file). */
export const GET = apiRoute<{ id: string }>(async ({ req, params, caller }) => {
  const record = await getReleaseRecord(caller, params.id);
  if (!new URL(req.url).searchParams.get('download')) return { data: record };
  return new Response(JSON.stringify(record, null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="release-${params.id}.json"`, 'cache-control': 'no-store' },
  });
});
