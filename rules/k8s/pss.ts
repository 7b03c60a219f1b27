// The Pod Security Standards rules (Baseline and Restricted).
import type { AnyRule } from '../../src/engine/define-rule.js';
import privileged from './privileged.js';

export const PSS_RULES: readonly AnyRule[] = [privileged];
