// The engine reports this one itself; the definition carries its metadata and docs.
import { defineRule } from '../../src/engine/define-rule.js';

export default defineRule({
  id: 'warden/parse-error',
  severity: 'high',
  title: 'File cannot be parsed',
  fixable: false,
  scope: 'resource',
  kinds: [],
  docs: {
    why: 'A changed manifest or Terraform file that does not parse cannot be reviewed, and will not deploy as intended either.',
    fix: 'Fix the syntax error at the reported line. Go-templated Helm files are skipped, not reported: render them to review them.',
  },
  references: {},
  messages: {},
  check() {},
});
