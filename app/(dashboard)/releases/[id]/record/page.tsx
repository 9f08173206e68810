import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader, Panel } from '@/components/ui/panel';
import { PrintButton } from '@/components/ui/print-button';
import { StateBadge } from '@/components/ui/state-badge';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { getReleaseRecord } from '@/lib/queries/release-record';
import { AppError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Release record' };

const Row = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <>
    <dt className="text-zinc-500">{label}</dt>
    <dd className="break-all">{children}</dd>
  </>
);

/** Everything the release touched, on one printable page: the evidence pack an auditor asks for. */
export default async function ReleaseRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { id } = await params;
  const r = await getReleaseRecord({ actor, db: await getDb() }, id).catch((error) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  const { release, version } = r;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-zinc-500 print:hidden">
        <Link href={`/releases/${id}`} className="hover:underline">Release</Link>
      </nav>
      <PageHeader
        title={`Release record: ${release.model} ${release.version} in ${release.environment}`}
        description={
          <>
            <StateBadge state={release.state} /> {release.strategy} from {release.baselineVersion ?? 'nothing'} · requested by {release.requestedBy} <LocalTime value={release.createdAt} /> · generated <LocalTime value={r.generatedAt} />
          </>
        }
        actions={
          <div className="flex gap-2 print:hidden">
            <a className="underline" href={`/api/v1/releases/${id}/record?download=1`}>
              Download JSON
            </a>
            <PrintButton />
          </div>
        }
      />
      <div className="space-y-4">
        <Panel title="Version and lineage">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <Row label="Artifact">{version.artifactUri}</Row>
            <Row label="Digest"><code>{version.artifactDigest}</code></Row>
            <Row label="Commit">{version.gitCommit ?? '—'}</Row>
            <Row label="Training data">{version.dataSnapshotId ?? '—'} {version.dataSnapshotHash && <code>({version.dataSnapshotHash})</code>}</Row>
            <Row label="Hyperparameters"><code>{JSON.stringify(version.hyperparameters)}</code></Row>
            <Row label="Offline metrics"><code>{JSON.stringify(version.offlineMetrics)}</code></Row>
            <Row label="Registered">{version.registeredBy} <LocalTime value={version.registeredAt} /></Row>
            <Row label="Lineage">{version.lineage.length ? version.lineage.map((l) => l.version).join(' ← ') : 'first version'}</Row>
          </dl>
        </Panel>
        <Panel title="Gate results">
          <ul className="space-y-1 text-sm">
            {r.gates.map((g) => (
              <li key={g.kind}>
                <Badge tone={g.status === 'passed' ? 'green' : g.status === 'failed' ? 'red' : 'neutral'}>{g.status}</Badge> <strong>{g.kind}</strong> <code className="text-xs">{JSON.stringify(g.measurements)}</code> {g.summary}
              </li>
            ))}
            {r.gates.length === 0 && <li className="text-zinc-500">No gate results.</li>}
          </ul>
        </Panel>
        <Panel title="Approvals">
          <ul className="space-y-1 text-sm">
            {r.approvals.map((a, i) => (
              <li key={i}>
                <Badge tone={a.decision === 'approve' ? 'green' : 'red'}>{a.decision}</Badge> {a.reviewer} <LocalTime value={a.at} />: “{a.comment}” · evidence <code className="text-xs">{a.evidenceDigest.slice(0, 16)}…</code>
                {a.voidedAt && ' (voided)'}
              </li>
            ))}
            {r.approvals.length === 0 && <li className="text-zinc-500">No approvals were required or given.</li>}
          </ul>
        </Panel>
        <Panel title="Rollout plan and analysis verdicts">
          <ol className="space-y-2 text-sm">
            {r.plan.map((s) => (
              <li key={s.position}>
                <strong>Step {s.position + 1}: {s.weight} %</strong> {s.holdSeconds > 0 && `· hold ${s.holdSeconds} s`} {s.analysisRequired && '· analysis'} {s.manualGate && '· manual gate'}
                <ul className="ml-4 text-xs text-zinc-600 dark:text-zinc-400">
                  {s.verdicts.map((v, i) => (
                    <li key={i}>
                      {v.verdict} <LocalTime value={v.intervalEnd} /> — {v.summary}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </Panel>
        {r.experiment && (
          <Panel title={`Experiment: ${r.experiment.name}`}>
            <p className="text-sm">
              “{r.experiment.hypothesis}” · decision: <strong>{r.experiment.decision ?? 'not decided'}</strong>
              {r.experiment.shippedVersion && ` (${r.experiment.shippedVersion})`} {r.experiment.decidedBy && `by ${r.experiment.decidedBy}`} ·{' '}
              <Link className="underline" href={`/experiments/${r.experiment.id}`}>results</Link>
            </p>
          </Panel>
        )}
        <Panel title="Alerts during the rollout">
          <ul className="space-y-1 text-sm">
            {r.alerts.map((a) => (
              <li key={a.id}>
                <Badge tone={a.severity === 'critical' ? 'red' : 'amber'}>{a.severity}</Badge> {a.title} · {a.state} <LocalTime value={a.openedAt} />
              </li>
            ))}
            {r.alerts.length === 0 && <li className="text-zinc-500">None.</li>}
          </ul>
        </Panel>
        {r.incident && (
          <Panel title="Incident">
            <p className="text-sm">
              {r.incident.title} · rolled back by {r.incident.rolledBackBy} ·{' '}
              <Link className="underline" href={`/incidents/${r.incident.id}`}>timeline and postmortem</Link>
            </p>
          </Panel>
        )}
        <Panel title="Audit trail (hashes verify against the chain)">
          <ol className="space-y-1 text-xs">
            {r.audit.map((e) => (
              <li key={e.seq}>
                #{e.seq} <LocalTime value={e.at} /> <strong>{e.actor}</strong> {e.action} {e.reason && `“${e.reason}”`} <code className="text-zinc-500">{e.hash.slice(0, 16)}…</code>
              </li>
            ))}
          </ol>
        </Panel>
      </div>
    </>
  );
}
