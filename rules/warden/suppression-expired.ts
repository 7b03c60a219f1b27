// The review reports this one itself (src/suppression-policy.ts); the definition carries its metadata and docs.
import { defineRule } from '../../src/engine/define-rule.js';

export default defineRule({
  id: 'warden/suppression-expired',
  severity: 'low',
  title: 'Suppression expired',
  fixable: false,
  scope: 'resource',
  kinds: [],
  docs: {
    why:
      'A suppression with `(until YYYY-MM-DD)` at the end of its reason holds through that day (UTC). Past it, what it hid ' +
      'is reported again, and may gate; this finding sits on the suppression line to say why it came back. A date ' +
      'Warden cannot read (`(until next sprint)`, `(until 2027-02-30)`) makes the suppression suppress nothing, so a ' +
      'typo never makes one last for ever. It never gates by itself.',
    fix: 'Fix what the suppression hid, or renew the suppression with a reason and a new date: `# warden:ignore k8s/image-digest -- pinned by the release job (until 2027-06-30)`.',
  },
  references: {},
  messages: {},
  check() {},
});
