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

type DemoVersion = {
  version: string;
  daysAgo: number;
  metrics: Record<string, number>;
  hyperparameters: Record<string, number | string>;
  inputs: string[];
  tags?: string[];
};

export const DEMO_MODELS: {
  name: string;
  ownerTeam: string;
  description: string;
  registeredBy: string;
  versions: DemoVersion[];
}[] = [
  {
    name: 'fraud-detector',
    ownerTeam: 'risk-ml',
    description: 'Scores card transactions for fraud in real time; the payments gateway blocks above 0.92.',
    registeredBy: 'api-key:github-actions',
    versions: [
      { version: '1.0.0', daysAgo: 140, metrics: { auc: 0.912, recall_at_1pct_fpr: 0.61 }, hyperparameters: { algo: 'xgboost', max_depth: 6, eta: 0.1 }, inputs: ['amount', 'merchant_category', 'country', 'hour'] },
      { version: '1.1.0', daysAgo: 96, metrics: { auc: 0.921, recall_at_1pct_fpr: 0.64 }, hyperparameters: { algo: 'xgboost', max_depth: 7, eta: 0.08 }, inputs: ['amount', 'merchant_category', 'country', 'hour', 'device_age_days'] },
      { version: '1.1.1', daysAgo: 61, metrics: { auc: 0.923, recall_at_1pct_fpr: 0.65 }, hyperparameters: { algo: 'xgboost', max_depth: 7, eta: 0.08 }, inputs: ['amount', 'merchant_category', 'country', 'hour', 'device_age_days'] },
      { version: '1.2.0', daysAgo: 19, metrics: { auc: 0.931, recall_at_1pct_fpr: 0.68 }, hyperparameters: { algo: 'lightgbm', num_leaves: 63, learning_rate: 0.05 }, inputs: ['amount', 'merchant_category', 'country', 'hour', 'device_age_days', 'velocity_1h'], tags: ['candidate'] },
    ],
  },
  {
    name: 'churn-predictor',
    ownerTeam: 'growth-ml',
    description: 'Weekly churn propensity per subscriber; feeds the retention campaign audience.',
    registeredBy: 'Maya Lead',
    versions: [
      { version: '0.9.0', daysAgo: 120, metrics: { auc: 0.802, log_loss: 0.412 }, hyperparameters: { algo: 'logistic_regression', C: 0.5 }, inputs: ['tenure_months', 'plan', 'support_tickets_30d'] },
      { version: '1.0.0', daysAgo: 75, metrics: { auc: 0.836, log_loss: 0.389 }, hyperparameters: { algo: 'catboost', depth: 8, iterations: 900 }, inputs: ['tenure_months', 'plan', 'support_tickets_30d', 'usage_trend'] },
      { version: '1.1.0-rc.1', daysAgo: 4, metrics: { auc: 0.829, log_loss: 0.394 }, hyperparameters: { algo: 'catboost', depth: 10, iterations: 1400 }, inputs: ['tenure_months', 'plan', 'support_tickets_30d', 'usage_trend', 'nps_last'], tags: ['experimental'] },
    ],
  },
  {
    name: 'search-ranker',
    ownerTeam: 'search-relevance',
    description: 'Re-ranks the top 200 catalogue hits; optimises add-to-cart.',
    registeredBy: 'api-key:github-actions',
    versions: [
      { version: '2.3.0', daysAgo: 88, metrics: { ndcg_at_10: 0.441, mrr: 0.392 }, hyperparameters: { algo: 'lambdamart', trees: 600, leaves: 31 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock'] },
      { version: '2.4.0', daysAgo: 33, metrics: { ndcg_at_10: 0.452, mrr: 0.401 }, hyperparameters: { algo: 'lambdamart', trees: 800, leaves: 31 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock', 'brand_affinity'] },
      { version: '2.4.1', daysAgo: 2, metrics: { ndcg_at_10: 0.455, mrr: 0.404 }, hyperparameters: { algo: 'lambdamart', trees: 800, leaves: 31 }, inputs: ['query_tokens', 'item_ctr_7d', 'price', 'in_stock', 'brand_affinity'] },
    ],
  },
  {
    name: 'credit-limit-advisor',
    ownerTeam: 'risk-ml',
    description: 'Suggests credit-line increases; a human underwriter confirms every suggestion.',
    registeredBy: 'Maya Lead',
    versions: [
      { version: '3.0.0', daysAgo: 200, metrics: { rmse: 412.5, mape: 0.118 }, hyperparameters: { algo: 'gbm', trees: 400 }, inputs: ['income_band', 'utilisation', 'months_on_book'] },
      { version: '3.1.0', daysAgo: 45, metrics: { rmse: 398.1, mape: 0.111 }, hyperparameters: { algo: 'gbm', trees: 500 }, inputs: ['income_band', 'utilisation', 'months_on_book', 'bureau_score'] },
    ],
  },
];
