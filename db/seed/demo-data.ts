import type { Role } from '@/lib/domain/roles';

/** The demo's people: one per role. Their shared password is shown on the sign-in page in demo mode only. */
export const DEMO_PASSWORD = 'flightdeck-demo';

export const DEMO_USERS: { email: string; name: string; roles: Role[] }[] = [
  { email: 'admin@flightdeck.demo', name: 'Ada Admin', roles: ['admin'] },
  { email: 'lead@flightdeck.demo', name: 'Maya Lead', roles: ['ml_lead'] },
  { email: 'reviewer@flightdeck.demo', name: 'Ravi Reviewer', roles: ['reviewer'] },
  { email: 'reviewer2@flightdeck.demo', name: 'Rita Reviewer', roles: ['reviewer'] },
  { email: 'oncall@flightdeck.demo', name: 'Omar On-call', roles: ['oncall'] },
  { email: 'viewer@flightdeck.demo', name: 'Vera Viewer', roles: [] },
];

export type DemoCheck = { kind: string; status: string; measurements: Record<string, number>; summary?: string };

type DemoVersion = {
  version: string;
  daysAgo: number;
  p99LatencyMs: number;
  subgroupGapPoints: number;
  /** Replaces the generated check of the same kind: how the demo shows a blocked version. */
  checks?: DemoCheck[];
  metrics: Record<string, number>;
  hyperparameters: Record<string, number | string>;
  inputs: string[];
  tags?: string[];
};

export const DEMO_MODELS: {
  name: string;
  ownerTeam: string;
  description: string;
  /** Who registered its versions in the story: CI's API key, or Maya by hand. */
  registeredBy: 'ci' | 'lead';
  /** The offline metric that CI reports as quality_regression's primary_metric. */
  primaryMetric: string;
  /** Which version each environment runs (a promoted release in the demo's history). */
  live: Record<string, string>;
  versions: DemoVersion[];
}[] = [
  {
    name: 'fraud-detector',
    ownerTeam: 'risk-ml',
    description: 'Scores card transactions for fraud in real time; the payments gateway blocks above 0.92.',
    registeredBy: 'ci',
    primaryMetric: 'auc',
    live: { production: '1.1.1', staging: '1.2.0' },
    versions: [
      { version: '1.0.0', daysAgo: 140, p99LatencyMs: 38, subgroupGapPoints: 1.4, metrics: { auc: 0.912, recall_at_1pct_fpr: 0.61 }, hyperparameters: { algo: 'xgboost', max_depth: 6, eta: 0.1 }, inputs: ['amount', 'merchant_category', 'country', 'hour'] },
      { version: '1.1.0', daysAgo: 96, p99LatencyMs: 41, subgroupGapPoints: 1.2, metrics: { auc: 0.921, recall_at_1pct_fpr: 0.64 }, hyperparameters: { algo: 'xgboost', max_depth: 7, eta: 0.08 }, inputs: ['amount', 'merchant_category', 'country', 'hour', 'device_age_days'] },
      { version: '1.1.1', daysAgo: 61, p99LatencyMs: 40, subgroupGapPoints: 1.1, metrics: { auc: 0.923, recall_at_1pct_fpr: 0.65 }, hyperparameters: { algo: 'xgboost', max_depth: 7, eta: 0.08 }, inputs: ['amount', 'merchant_category', 'country', 'hour', 'device_age_days'] },
      { version: '1.2.0', daysAgo: 19, p99LatencyMs: 39, subgroupGapPoints: 0.9, metrics: { auc: 0.931, recall_at_1pct_fpr: 0.68 }, hyperparameters: { algo: 'lightgbm', num_leaves: 63, learning_rate: 0.05 }, inputs: ['amount', 'merchant_category', 'country', 'hour', 'device_age_days', 'velocity_1h'], tags: ['candidate'] },
    ],
  },
  {
    name: 'churn-predictor',
    ownerTeam: 'growth-ml',
    description: 'Weekly churn propensity per subscriber; feeds the retention campaign audience.',
    registeredBy: 'lead',
    primaryMetric: 'auc',
    live: { production: '1.0.0', staging: '1.0.0' },
    versions: [
      { version: '0.9.0', daysAgo: 120, p99LatencyMs: 12, subgroupGapPoints: 2.1, metrics: { auc: 0.802, log_loss: 0.412 }, hyperparameters: { algo: 'logistic_regression', C: 0.5 }, inputs: ['tenure_months', 'plan', 'support_tickets_30d'] },
      { version: '1.0.0', daysAgo: 75, p99LatencyMs: 15, subgroupGapPoints: 1.6, metrics: { auc: 0.836, log_loss: 0.389 }, hyperparameters: { algo: 'catboost', depth: 8, iterations: 900 }, inputs: ['tenure_months', 'plan', 'support_tickets_30d', 'usage_trend'] },
      { version: '1.1.0-rc.1', daysAgo: 4, p99LatencyMs: 16, subgroupGapPoints: 1.5, metrics: { auc: 0.829, log_loss: 0.394 }, hyperparameters: { algo: 'catboost', depth: 10, iterations: 1400 }, inputs: ['tenure_months', 'plan', 'support_tickets_30d', 'usage_trend', 'nps_last'], tags: ['experimental'] },
      // Blocked for production: AUC 0.829 against 0.836 in production is a 0.84 % drop; the policy tolerates 0.5 %.
    ],
  },
  {
    name: 'search-ranker',
    ownerTeam: 'search-relevance',
    description: 'Re-ranks the top 200 catalogue hits; optimises add-to-cart.',
    registeredBy: 'ci',
    primaryMetric: 'ndcg_at_10',
    live: { production: '2.4.0', staging: '2.4.0' },
    versions: [
      { version: '2.3.0', daysAgo: 88, p99LatencyMs: 61, subgroupGapPoints: 0.8, metrics: { ndcg_at_10: 0.441, mrr: 0.392 }, hyperparameters: { algo: 'lambdamart', trees: 600, leaves: 31 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock'] },
      { version: '2.4.0', daysAgo: 33, p99LatencyMs: 64, subgroupGapPoints: 0.7, metrics: { ndcg_at_10: 0.452, mrr: 0.401 }, hyperparameters: { algo: 'lambdamart', trees: 800, leaves: 31 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock', 'brand_affinity'] },
      {
        version: '2.4.1', daysAgo: 2, p99LatencyMs: 63, subgroupGapPoints: 0.7, metrics: { ndcg_at_10: 0.455, mrr: 0.404 }, hyperparameters: { algo: 'lambdamart', trees: 800, leaves: 31 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock', 'brand_affinity'],
        // Blocked: the declared contract looks unchanged, but CI's contract tests replayed recorded
        // requests and found a breaking change shipped as a PATCH.
        checks: [{ kind: 'contract', status: 'failed', measurements: { breaking_changes: 1, replayed_requests: 5000, rejected_requests: 212 }, summary: 'Input "in_stock" now rejects null (212 of 5,000 recorded requests refused): a breaking change needs a MAJOR bump, this is a PATCH.' }],
      },
      // Green on every gate, but slower and more error-prone under real traffic: the demo's
      // simulator plays that, and the controller rolls its production canary back.
      { version: '2.5.0', daysAgo: 0.5, p99LatencyMs: 62, subgroupGapPoints: 0.6, metrics: { ndcg_at_10: 0.458, mrr: 0.406 }, hyperparameters: { algo: 'lambdamart', trees: 1200, leaves: 63 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock', 'brand_affinity'] },
    ],
  },
  {
    name: 'home-recommender',
    ownerTeam: 'personalisation',
    description: 'Picks the twenty items on the home feed; judged online by click-through to a product page.',
    registeredBy: 'ci',
    primaryMetric: 'recall_at_20',
    live: { production: '4.1.0', staging: '4.1.0' },
    versions: [
      { version: '4.0.0', daysAgo: 64, p99LatencyMs: 48, subgroupGapPoints: 1.0, metrics: { recall_at_20: 0.301, ndcg_at_20: 0.272 }, hyperparameters: { algo: 'two_tower', embedding_dim: 64 }, inputs: ['user_id_hash', 'recent_items', 'hour', 'device'] },
      { version: '4.1.0', daysAgo: 29, p99LatencyMs: 50, subgroupGapPoints: 0.9, metrics: { recall_at_20: 0.309, ndcg_at_20: 0.279 }, hyperparameters: { algo: 'two_tower', embedding_dim: 128 }, inputs: ['user_id_hash', 'recent_items', 'hour', 'device'] },
      // Better offline by a hair; the production A/B test (simulated traffic) decides whether it ships.
      { version: '4.2.0', daysAgo: 3, p99LatencyMs: 49, subgroupGapPoints: 0.8, metrics: { recall_at_20: 0.314, ndcg_at_20: 0.284 }, hyperparameters: { algo: 'two_tower', embedding_dim: 128, hard_negatives: 'in_batch' }, inputs: ['user_id_hash', 'recent_items', 'hour', 'device', 'session_embedding'] },
    ],
  },
  {
    name: 'credit-limit-advisor',
    ownerTeam: 'risk-ml',
    description: 'Suggests credit-line increases; a human underwriter confirms every suggestion.',
    registeredBy: 'lead',
    primaryMetric: 'r2',
    live: { production: '3.1.0', staging: '3.1.0' },
    versions: [
      { version: '3.0.0', daysAgo: 200, p99LatencyMs: 22, subgroupGapPoints: 1.9, metrics: { r2: 0.712, rmse: 412.5, mape: 0.118 }, hyperparameters: { algo: 'gbm', trees: 400 }, inputs: ['income_band', 'utilisation', 'months_on_book'] },
      { version: '3.1.0', daysAgo: 45, p99LatencyMs: 23, subgroupGapPoints: 1.7, metrics: { r2: 0.731, rmse: 398.1, mape: 0.111 }, hyperparameters: { algo: 'gbm', trees: 500 }, inputs: ['income_band', 'utilisation', 'months_on_book', 'bureau_score'] },
      { version: '3.2.0', daysAgo: 1, p99LatencyMs: 24, subgroupGapPoints: 1.5, metrics: { r2: 0.738, rmse: 391.4, mape: 0.108 }, hyperparameters: { algo: 'gbm', trees: 650 }, inputs: ['income_band', 'utilisation', 'months_on_book', 'bureau_score', 'recent_inquiries'] },
    ],
  },
];
