/** Table cells of the experiment page (the charts' formatting lives in chart-rows). */
export function pValue(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

export function mean(value: number | null, binomial: boolean): string {
  if (value === null) return '—';
  return binomial ? `${(value * 100).toFixed(2)} %` : value.toLocaleString('en', { maximumFractionDigits: 3 });
}
