import { Badge } from '@/components/ui/badge';

export function DriftSeverity({ severity }: { severity: string }) {
  return <Badge tone={severity === 'critical' ? 'red' : severity === 'warning' ? 'amber' : 'green'}>{severity === 'ok' ? 'no drift' : severity}</Badge>;
}

export const METHOD_LABEL: Record<string, string> = { psi: 'PSI', jsDistance: 'Jensen–Shannon distance', chiSquare: 'χ² p-value', ks: 'KS p-value', wasserstein: 'Wasserstein / σ' };

export function formatScore(method: string, value: number): string {
  if (method === 'chiSquare' || method === 'ks') return value < 0.0001 ? '< 0.0001' : value.toFixed(4);
  return value.toFixed(3);
}
