'use client';

import dynamic from 'next/dynamic';

/**
 * The Recharts charts, loaded after the page instead of with it: Recharts and d3 are ~130 kB gzip,
 * more than half of what a page with a chart shipped, and the numbers around the charts are
 * readable before they arrive. Charts measure their container in the browser, so they are not
 * rendered on the server anyway.
 */
function ChartPlaceholder() {
  return <div role="status" aria-label="Loading chart" className="h-56 w-full animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />;
}
// Next.js wants the options written out at each call (it compiles them).
export const ReleaseCharts = dynamic(() => import('./release-charts').then((m) => m.ReleaseCharts), { ssr: false, loading: ChartPlaceholder });
export const HistogramOverlay = dynamic(() => import('../drift/feature-charts').then((m) => m.HistogramOverlay), { ssr: false, loading: ChartPlaceholder });
export const ScoreOverTime = dynamic(() => import('../drift/feature-charts').then((m) => m.ScoreOverTime), { ssr: false, loading: ChartPlaceholder });
export const ForestPlot = dynamic(() => import('../experiments/experiment-charts').then((m) => m.ForestPlot), { ssr: false, loading: ChartPlaceholder });
export const LiftOverTime = dynamic(() => import('../experiments/experiment-charts').then((m) => m.LiftOverTime), { ssr: false, loading: ChartPlaceholder });
export const UnitsPerArm = dynamic(() => import('../experiments/experiment-charts').then((m) => m.UnitsPerArm), { ssr: false, loading: ChartPlaceholder });
