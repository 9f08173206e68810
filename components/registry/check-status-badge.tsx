import { CircleAlert, CircleCheck, CircleDashed, CircleMinus, Loader } from 'lucide-react';
import { Badge, type Tone } from '@/components/ui/badge';

const STATUS: Record<string, { tone: Tone; icon: typeof CircleCheck; label: string }> = {
  passed: { tone: 'green', icon: CircleCheck, label: 'passed' },
  failed: { tone: 'red', icon: CircleAlert, label: 'failed' },
  running: { tone: 'blue', icon: Loader, label: 'running' },
  skipped: { tone: 'neutral', icon: CircleMinus, label: 'skipped' },
  missing: { tone: 'neutral', icon: CircleDashed, label: 'not reported' },
};

/** A gate's state: colour, icon and word together, never colour alone. */
export function CheckStatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? STATUS.missing!;
  const Icon = s.icon;
  return (
    <Badge tone={s.tone}>
      <Icon aria-hidden size={12} /> {s.label}
    </Badge>
  );
}

export function DeployableBadge({ environment, deployable, isLive }: { environment: string; deployable: boolean; isLive?: boolean }) {
  if (isLive)
    return (
      <Badge tone="blue">
        <CircleCheck aria-hidden size={12} /> runs in {environment}
      </Badge>
    );
  return deployable ? (
    <Badge tone="green">
      <CircleCheck aria-hidden size={12} /> deployable to {environment}
    </Badge>
  ) : (
    <Badge tone="red">
      <CircleAlert aria-hidden size={12} /> blocked for {environment}
    </Badge>
  );
}
