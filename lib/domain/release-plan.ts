import { z } from 'zod';

/**
 * How a release moves traffic: a strategy and a plan of steps. A step sets the candidate's share
 * of traffic, holds it, and may demand a passing analysis or a human before the next step
 * (Argo Rollouts' setWeight / pause / analysis steps, ANCHORS-DELIVERY 2.1, folded into one row).
 */

export const STRATEGIES = ['canary', 'blue_green', 'shadow', 'split', 'immediate', 'ab'] as const;
export const Strategy = z.enum(STRATEGIES);
export type Strategy = (typeof STRATEGIES)[number];
/** An "ab" release is created with its experiment (POST /experiments), never on its own. */
export const REQUESTABLE_STRATEGIES = ['canary', 'blue_green', 'shadow', 'split', 'immediate'] as const satisfies readonly Strategy[];

const WEEK_SECONDS = 7 * 86400;

export const PlanStep = z.object({
  weight: z.number().int().min(0).max(100),
  holdSeconds: z.number().int().min(0).max(WEEK_SECONDS).default(0),
  analysisRequired: z.boolean().default(false),
  manualGate: z.boolean().default(false),
});
export type PlanStep = z.infer<typeof PlanStep>;

// Traffic only ever moves towards the candidate during a release; going back is a rollback, a
// different action with its own audit trail. Ending at 100 makes "the last step passed" and
// "the candidate takes all traffic" the same event, so promotion needs no extra weight.
export const Plan = z
  .array(PlanStep)
  .min(1)
  .max(20)
  .superRefine((steps, ctx) => {
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      if (previous && step.weight < previous.weight) {
        ctx.addIssue({ code: 'custom', message: `Step ${i + 1} lowers the weight from ${previous.weight} % to ${step.weight} %: weights may not decrease`, path: [i, 'weight'] });
      }
    });
    const last = steps.length - 1;
    const lastStep = steps[last];
    if (lastStep && lastStep.weight !== 100) {
      ctx.addIssue({ code: 'custom', message: `The last step must send 100 % of traffic to the new version (it sends ${lastStep.weight} %)`, path: [last, 'weight'] });
    }
  });
export type Plan = z.infer<typeof Plan>;

const step = (weight: number, rest: Partial<Omit<PlanStep, 'weight'>> = {}): PlanStep => ({
  weight,
  holdSeconds: rest.holdSeconds ?? 0,
  analysisRequired: rest.analysisRequired ?? false,
  manualGate: rest.manualGate ?? false,
});

// Frozen: these are shared; a caller that edits one in place would change every later release.
const freezePlan = (plan: Plan): Plan => Object.freeze(plan.map((s) => Object.freeze(s))) as Plan;

/** 1 → 5 → 25 → 50 → 100 %, five minutes and an analysis at each step, a human before the half-way point is passed. */
export const DEFAULT_PRODUCTION_PLAN: Plan = freezePlan([
  step(1, { holdSeconds: 300, analysisRequired: true }),
  step(5, { holdSeconds: 300, analysisRequired: true }),
  step(25, { holdSeconds: 300, analysisRequired: true }),
  step(50, { holdSeconds: 300, analysisRequired: true, manualGate: true }),
  step(100),
]);

/** Half the traffic for a minute, then all of it. No hold on the last step: reaching it is the promotion. */
export const DEFAULT_STAGING_PLAN: Plan = freezePlan([step(50, { holdSeconds: 60 }), step(100)]);

/**
 * The plan a strategy implies when the caller gives none. Always a fresh copy, so callers may edit it.
 * - immediate, split: one step at 100 (a split's shares live in its SplitRouting, not in weights).
 * - blue_green: the candidate runs as a preview at 0 % until a human lets it take over.
 * - shadow: the candidate sees mirrored traffic (weight 0) for ten minutes of analysis, then takes over.
 * - canary: the environment's default.
 * - ab: the treatments' share held behind a manual gate (see abPlan).
 */
export function planFor(strategy: Strategy, environmentDefault: Plan): Plan {
  switch (strategy) {
    case 'immediate':
    case 'split':
      return [step(100)];
    case 'blue_green':
      return [step(0, { manualGate: true }), step(100)];
    case 'shadow':
      return [step(0, { holdSeconds: 600, analysisRequired: true }), step(100)];
    case 'canary':
      return environmentDefault.map((s) => ({ ...s }));
    case 'ab':
      return abPlan(50);
  }
}

/**
 * An experiment holds its treatments' share behind a manual gate until it is decided: the
 * controller never advances it, and the decision ends it (ship requests a promotion; stop rolls it back).
 */
export function abPlan(treatmentShare: number): Plan {
  return [step(treatmentShare, { manualGate: true }), step(100)];
}

const VersionName = z.string().min(1).max(100);

const SegmentMatch = z.object({
  kind: z.enum(['header', 'cookie']),
  // Header and cookie names routers accept verbatim; no spaces or separators to escape.
  name: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/),
  value: z.string().min(1).max(200),
});

/**
 * Traffic shares between several versions at once, plus sticky segments (a header or cookie value
 * pinned to one version). Segments may only name versions of the split: a router could not send a
 * segment to a version it was never told to deploy. One rule per header/cookie value, or two
 * rules would disagree about where the same request goes.
 */
export const SplitRouting = z
  .object({
    versions: z.array(z.object({ version: VersionName, weight: z.number().int().min(0).max(100) })).min(2).max(10),
    segments: z.array(z.object({ match: SegmentMatch, version: VersionName })).max(20).default([]),
  })
  .superRefine((split, ctx) => {
    const total = split.versions.reduce((sum, v) => sum + v.weight, 0);
    if (total !== 100) ctx.addIssue({ code: 'custom', message: `Weights must add up to 100 % (they add up to ${total} %)`, path: ['versions'] });

    const versions = new Set<string>();
    split.versions.forEach((v, i) => {
      if (versions.has(v.version)) ctx.addIssue({ code: 'custom', message: `Version "${v.version}" is listed twice`, path: ['versions', i, 'version'] });
      versions.add(v.version);
    });

    const matches = new Set<string>();
    split.segments.forEach((s, i) => {
      if (!versions.has(s.version)) ctx.addIssue({ code: 'custom', message: `Version "${s.version}" is not one of the split's versions`, path: ['segments', i, 'version'] });
      // Header names are case-insensitive (RFC 9110); cookie names are not.
      const name = s.match.kind === 'header' ? s.match.name.toLowerCase() : s.match.name;
      const key = JSON.stringify([s.match.kind, name, s.match.value]);
      if (matches.has(key)) ctx.addIssue({ code: 'custom', message: `Another segment already matches ${s.match.kind} ${s.match.name}=${s.match.value}`, path: ['segments', i, 'match'] });
      matches.add(key);
    });
  });
export type SplitRouting = z.infer<typeof SplitRouting>;
