// The engine reports this one itself; the definition carries its metadata and docs.
import { defineRule } from '../../src/engine/define-rule.js';

export default defineRule({
  id: 'warden/suppression-without-reason',
  severity: 'low',
  title: 'Suppression without a reason',
  fixable: false,
  scope: 'resource',
  kinds: [],
  docs: {
    why: 'A suppression with no reason hides a finding from every later reviewer without telling them why it is safe.',
    fix: 'Write the reason after `--`: `# warden:ignore k8s/host-ports -- node-local metrics exporter, reviewed by #security`.',
  },
  references: {},
  messages: {},
  check() {},
});
