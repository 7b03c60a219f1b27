// The chart task: a Helm chart rendered and reviewed (src/render/chart-review.ts) in a worker, like a composition:
// its renders (and those that prove its fixes) never hold the main thread, and the pool's time limit bounds them.
import type { Config } from '../config.js';
import { reviewChart, type ChartReview, type ChartReviewInput } from '../render/chart-review.js';
import { reviewOptions } from './compose-task.js';
import type { PlainRepository } from './transfer.js';

export interface ChartRequest {
  type: 'chart';
  id: number;
  job: string;
  input: ChartReviewInput;
  config: Config;
  ruleIds: string[];
  repository: PlainRepository;
}

export function runChart(request: ChartRequest): ChartReview {
  return reviewChart(request.input, reviewOptions(request));
}
