/** Baseline and candidate weights as one bar, Okabe–Ito blue and orange, with the numbers in words. */
export function TrafficSplit({ baseline, candidate, weight }: { baseline: string | null; candidate: string; weight: number }) {
  const base = 100 - weight;
  return (
    <div>
      <div className="flex h-3 overflow-hidden rounded" role="img" aria-label={`Traffic: ${baseline ?? 'baseline'} ${base} %, ${candidate} ${weight} %`}>
        <div className="bg-[var(--color-baseline)]" style={{ width: `${base}%` }} />
        <div className="bg-[var(--color-canary)]" style={{ width: `${weight}%` }} />
      </div>
      <p className="mt-1 flex justify-between text-xs">
        <span>
          <span className="mr-1 inline-block h-2 w-2 rounded-sm bg-[var(--color-baseline)]" aria-hidden />
          baseline {baseline ?? '(none)'} <strong>{base} %</strong>
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-2 rounded-sm bg-[var(--color-canary)]" aria-hidden />
          {candidate} <strong>{weight} %</strong>
        </span>
      </p>
    </div>
  );
}
