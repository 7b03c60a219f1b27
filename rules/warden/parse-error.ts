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
    fix: 'Fix the syntax error at the reported line. A template (a Helm chart\'s `templates/`, or a file with `{{ … }}` outside quoted strings that is not YAML) is not a parse error: it is reported as `warden/not-reviewed` until rendered.',
  },
  references: {},
  messages: {},
  check() {},
});
