// The Terraform cloud rules: AWS, Google Cloud, Azure.
import type { AnyRule } from '../src/engine/define-rule.js';

export const CLOUD_RULES: readonly AnyRule[] = [];
