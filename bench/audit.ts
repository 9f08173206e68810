import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, ilike, lte, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from '@/db';
import { auditEvents, models } from '@/db/schema';
import { GENESIS_HASH, hashAuditEvent, type AuditContent } from '@/lib/domain/audit-chain';
import { csvHeader, ExportVerifier, toCsvRow, toJsonLine } from '@/lib/domain/audit-export';
import { auditBatches, listAuditEvents } from '@/lib/queries/audit';
import { encodeCursor } from '@/lib/queries/paging';
import { mulberry32 } from '@/lib/simulator/traffic';
import { fmt, percentile, timed, userActor, type Row, type Target } from './setup';

// The vocabulary of tests/integration/audit-explorer.test.ts, plus a rare actor and a rare reason
// so the benchmark also shows what a filter costs when few events match (the worst case for
// "newest first, limit 50": the whole table is read before the page is known to be short).
const ACTORS = ['Maya Lead', 'Omar On-call', 'Ravi Reviewer', 'system:controller', 'api-key:github-actions'];
const ACTIONS = ['release.request', 'release.approve', 'release.start', 'release.advance', 'release.rollback', 'version.register', 'check.report', 'alert.open', 'alert.acknowledge', 'experiment.create'];
const MODELS = ['fraud-detector', 'search-ranker', 'churn-predictor'];
const ENVIRONMENTS = ['staging', 'production'];
const RARE_ACTOR_EVERY = 10_007; // "Zara Security": ~100 events in a million
const RARE_REASON_EVERY = 50_021; // "incident INC-4711 …": ~20 events in a million
const T0 = Date.parse('2026-01-01T00:00:00Z');
const SPAN_MS = 30 * 86_400_000; // the chain covers 30 days, evenly, whatever its length
const LOAD_BATCH = 5_000; // rows per insert statement (one jsonb parameter, see load())
const PAGE_RUNS = 10;

type ChainRow = AuditContent & { seq: number; prevHash: string; hash: string };

/** Event i (0-based) of the seeded chain: the test's generator, over 30 days. */
function content(i: number, total: number, random: () => number): AuditContent {
  const model = MODELS[Math.floor(random() * MODELS.length)]!;
  const rareActor = i % RARE_ACTOR_EVERY === RARE_ACTOR_EVERY - 1;
  return {
    id: randomUUID(),
    occurredAt: new Date(T0 + Math.floor((i * SPAN_MS) / total)),
    actorType: 'user',
    actorId: rareActor ? 'actor-zara' : `actor-${i % ACTORS.length}`,
    actorName: rareActor ? 'Zara Security' : ACTORS[i % ACTORS.length]!,
    action: ACTIONS[Math.floor(random() * ACTIONS.length)]!,
    targetType: 'release',
    targetId: `target-${i % 997}`,
    before: null,
    after: { model, environment: ENVIRONMENTS[i % 2], step: i % 5 },
    reason:
      i % RARE_REASON_EVERY === RARE_REASON_EVERY - 1
        ? `incident INC-4711 postmortem on ${model}`
        : i % 100 === 0
          ? `error rate doubled on ${model}`
          : i % 37 === 0
            ? 'routine promotion'
            : null,
    metadata: { via: 'bench' },
  };
}

/**
 * Generates and inserts the chain a batch at a time (the whole chain is never in memory), hashed
 * exactly as appendAudit would. Each batch goes in as one jsonb parameter expanded by
 * jsonb_to_recordset: 5,000 rows × 15 columns as bind parameters would exceed the protocol's
 * 65,535. Then the seq sequence is moved past the loaded rows, as the test does, and analyzed.
 */
export async function loadAuditChain(db: Database, total: number): Promise<{ hashMs: number; insertMs: number; head: string }> {
  const random = mulberry32(7);
  let prev = GENESIS_HASH;
  let hashMs = 0;
  let insertMs = 0;
  for (let from = 0; from < total; from += LOAD_BATCH) {
    const started = performance.now();
    const batch: ChainRow[] = [];
    for (let i = from; i < Math.min(total, from + LOAD_BATCH); i++) {
      const c = content(i, total, random);
      const hash = hashAuditEvent(prev, c);
      batch.push({ ...c, seq: i + 1, prevHash: prev, hash });
      prev = hash;
    }
    const json = JSON.stringify(batch); // Dates become ISO strings with milliseconds, as hashed
    hashMs += performance.now() - started;
    insertMs += (
      await timed(() =>
        db.execute(sql`
          insert into audit_events (seq, id, occurred_at, actor_type, actor_id, actor_name, action, target_type, target_id, before, after, reason, metadata, prev_hash, hash)
          select r.seq, r.id, r."occurredAt", r."actorType", r."actorId", r."actorName", r.action, r."targetType", r."targetId",
                 nullif(r.before, 'null'::jsonb), nullif(r.after, 'null'::jsonb), r.reason, r.metadata, r."prevHash", r.hash
          from jsonb_to_recordset(${json}::jsonb) as r(seq bigint, id uuid, "occurredAt" timestamptz, "actorType" text, "actorId" text, "actorName" text,
               action text, "targetType" text, "targetId" text, before jsonb, after jsonb, reason text, metadata jsonb, "prevHash" text, hash text)`),
      )
    ).ms;
  }
  const tail = await timed(async () => {
    await db.execute(sql`select setval(pg_get_serial_sequence('audit_events', 'seq'), ${total})`);
    await db.execute(sql`analyze audit_events`);
  });
  insertMs += tail.ms;
  return { hashMs, insertMs, head: prev };
}

type PageCase = { figure: string; params: Record<string, string>; matches: string };

/** The explorer's pages to time: newest first, limit 50. `matches` is what the generator makes. */
function pageCases(total: number): PageCase[] {
  const mid = T0 + SPAN_MS / 2;
  return [
    { figure: 'first page, unfiltered', params: {}, matches: 'all' },
    { figure: 'deep page (cursor half-way)', params: { cursor: encodeCursor(Math.floor(total / 2) + 1) }, matches: 'all' },
    { figure: 'action=release.rollback', params: { action: 'release.rollback' }, matches: '~10 %' },
    { figure: 'action=alert. (prefix)', params: { action: 'alert.' }, matches: '~20 %' },
    { figure: 'actor=omar', params: { actor: 'omar' }, matches: '~20 %' },
    { figure: 'actor=zara (rare)', params: { actor: 'zara' }, matches: `~1 in ${fmt(RARE_ACTOR_EVERY)}` },
    { figure: 'q=doubled', params: { q: 'doubled' }, matches: '~1 %' },
    { figure: 'q=INC-4711 (rare)', params: { q: 'INC-4711' }, matches: `~1 in ${fmt(RARE_REASON_EVERY)}` },
    { figure: 'model=search-ranker & environment=production', params: { model: 'search-ranker', environment: 'production' }, matches: '~17 %' },
    { figure: 'from/to: one hour mid-log', params: { from: new Date(mid).toISOString(), to: new Date(mid + 3_600_000).toISOString() }, matches: `~${fmt((total * 3_600_000) / SPAN_MS)} events` },
  ];
}

/** Streams the whole log as the export route does (one encoded chunk per batch) into a counting sink. */
async function exportThroughput(db: Database, format: 'jsonl' | 'csv') {
  const caller = { actor: userActor([]), db };
  const encoder = new TextEncoder();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let events = 0;
  let bytes = format === 'csv' ? encoder.encode(csvHeader()).byteLength : 0;
  let serializeMs = 0;
  const { ms } = await timed(async () => {
    for await (const batch of auditBatches(caller, {})) {
      const started = performance.now();
      const chunk = encoder.encode(batch.map((e) => (format === 'csv' ? toCsvRow(e) : toJsonLine(e))).join(''));
      serializeMs += performance.now() - started;
      bytes += chunk.byteLength;
      events += batch.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  });
  return { ms, serializeMs, events, bytes, rssDelta: peak - baseline };
}

/** JSONL lines pushed one by one through ExportVerifier; the verifier's own time is kept apart. */
async function verifyThroughput(db: Database) {
  const caller = { actor: userActor([]), db };
  const verifier = new ExportVerifier();
  let verifyMs = 0;
  const { ms } = await timed(async () => {
    for await (const batch of auditBatches(caller, {})) {
      const lines = batch.map(toJsonLine);
      const started = performance.now();
      for (const line of lines) verifier.pushLine(line);
      verifyMs += performance.now() - started;
    }
  });
  return { ms, verifyMs, report: verifier.report() };
}

export async function benchAudit(db: Database, target: Target, total: number, explain = false): Promise<Row[]> {
  const loaded = await loadAuditChain(db, total);
  // A model named like the generated ones, so the model filter also looks up a real id (as the test).
  await db.insert(models).values({ name: 'search-ranker', ownerTeam: 'search', servingService: 'search-ranker' });
  console.error(
    `bench: ${target} — audit: loaded ${fmt(total)} events in ${fmt((loaded.hashMs + loaded.insertMs) / 1000, 1)} s ` +
      `(generate + hash ${fmt(loaded.hashMs / 1000, 1)} s, insert + analyze ${fmt(loaded.insertMs / 1000, 1)} s; ${fmt(total / ((loaded.hashMs + loaded.insertMs) / 1000))} events/s)`,
  );

  const rows: Row[] = [];
  const caller = { actor: userActor([]), db };
  for (const c of pageCases(total)) {
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < PAGE_RUNS; i++) {
      const r = await timed(() => listAuditEvents(caller, { ...c.params, limit: 50 }));
      times.push(r.ms);
      items = r.value.items.length;
    }
    rows.push({ target, figure: `audit page: ${c.figure} p50 / p95`, value: `${fmt(percentile(times, 50), 1)} / ${fmt(percentile(times, 95), 1)} ms`, note: `${items} items; matches ${c.matches}` });
  }
  if (explain) await printPlans(db, target, total);

  const mb = (bytes: number) => bytes / 1024 / 1024;
  for (const format of ['jsonl', 'csv'] as const) {
    const r = await exportThroughput(db, format);
    const s = r.ms / 1000;
    rows.push({
      target,
      figure: `audit export ${format}: throughput`,
      value: `${fmt(r.events / s)} events/s, ${fmt(mb(r.bytes) / s, 1)} MB/s`,
      note: `${fmt(r.events)} events, ${fmt(mb(r.bytes), 1)} MB in ${fmt(s, 1)} s (serializing ${fmt(r.serializeMs / 1000, 1)} s, the rest reading); peak RSS +${fmt(mb(r.rssDelta))} MB`,
    });
  }

  const v = await verifyThroughput(db);
  const verdict = v.report.ok && v.report.checked === total && v.report.headHash === loaded.head ? 'ok' : `NOT ok: ${JSON.stringify(v.report.firstBroken)} checked ${v.report.checked}`;
  rows.push({
    target,
    figure: `audit verify jsonl (ExportVerifier.pushLine)`,
    value: `${fmt(v.report.checked / (v.verifyMs / 1000))} events/s`,
    note: `verifier alone ${fmt(v.verifyMs / 1000, 1)} s; with read + toJsonLine ${fmt(v.report.checked / (v.ms / 1000))} events/s; ${verdict}`,
  });
  return rows;
}

/** EXPLAIN ANALYZE of a few page statements, their WHERE copied from lib/queries/audit.ts for diagnosis. */
async function printPlans(db: Database, target: Target, total: number) {
  const e = auditEvents;
  const mid = T0 + SPAN_MS / 2;
  const like = (s: string) => `%${s}%`;
  const model = (await db.select({ id: models.id }).from(models).where(eq(models.name, 'search-ranker')))[0]?.id ?? '—';
  const statements: Record<string, SQL | undefined> = {
    'actor=zara': or(ilike(e.actorName, like('zara')), eq(e.actorId, 'zara')),
    'q=INC-4711': or(ilike(e.reason, like('INC-4711')), sql`${e.after}::text ilike ${like('INC-4711')}`, sql`${e.before}::text ilike ${like('INC-4711')}`),
    'model & environment': and(
      or(eq(e.targetId, model), sql`${e.after}->>'model' = ${'search-ranker'}`, sql`${e.before}->>'model' = ${'search-ranker'}`),
      or(sql`${e.after}->>'environment' = ${'production'}`, sql`${e.before}->>'environment' = ${'production'}`),
    ),
    'from/to': and(gte(e.occurredAt, new Date(mid)), lte(e.occurredAt, new Date(mid + 3_600_000))),
  };
  for (const [name, where] of Object.entries(statements)) {
    const query = db.select().from(e).where(where).orderBy(desc(e.seq)).limit(51).toSQL();
    const plan = rowsOf<Record<string, string>>(await db.execute(sql`explain (analyze, buffers) ${sql.raw(inline(query.sql, query.params))}`));
    console.log(`\n-- ${target}: EXPLAIN ANALYZE audit page ${name} (${fmt(total)} events)\n${plan.map((r) => Object.values(r)[0]).join('\n')}`);
  }
}

/** Inlines $n parameters as literals (bench-only, values are ours), since EXPLAIN takes no binds here. */
function inline(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (typeof v === 'number') return String(v);
    return `'${String(v instanceof Date ? v.toISOString() : v).replaceAll("'", "''")}'`;
  });
}
