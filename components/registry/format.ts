/** Numbers as people read them: up to 4 significant decimals, no trailing noise. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en');
  return value.toLocaleString('en', { maximumSignificantDigits: 5 });
}

/** "+0.008 (+0.87 %)" from a baseline to a candidate. */
export function formatDelta(candidate: number | null, baseline: number | null): string {
  if (candidate === null || baseline === null) return '—';
  const diff = candidate - baseline;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  const abs = formatNumber(Math.abs(Number(diff.toPrecision(6))));
  if (baseline === 0) return `${sign}${abs}`;
  const pct = Math.abs((diff / Math.abs(baseline)) * 100);
  return `${sign}${abs} (${sign}${pct.toFixed(2)} %)`;
}
