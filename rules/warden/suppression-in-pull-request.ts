// The review reports this one itself (src/suppression-policy.ts); the definition carries its metadata and docs.
import { defineRule } from '../../src/engine/define-rule.js';

export default defineRule({
  id: 'warden/suppression-in-pull-request',
  severity: 'low',
  title: 'Suppression added by this change',
  fixable: false,
  scope: 'resource',
  kinds: [],
  docs: {
    why:
      'A `warden:ignore` that a pull request writes lets the change lift its own findings. Under ' +
      '`suppressions.in_pull_request: report` (the default) it holds and this finding sits on its line, so reviewers see ' +
      'what it hides (the App comments there and lists it in the check run); under `deny` what it hides still gates ' +
      'until the suppression is on the default branch; under `allow` it is honoured like any other and not reported. ' +
      'It never gates by itself.',
    fix: 'Review the suppression and its reason as part of the change; an admin who wants suppressions reviewed apart sets `suppressions.in_pull_request: deny` on the default branch.',
  },
  references: {},
  messages: {},
  check() {},
});
