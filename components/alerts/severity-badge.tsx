import { Badge } from '@/components/ui/badge';

export const KIND_LABEL: Record<string, string> = { drift: 'drift', slo_breach: 'SLO burn', analysis_failed: 'canary analysis' };

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={severity === 'critical' ? 'red' : 'amber'}>{severity}</Badge>;
}
