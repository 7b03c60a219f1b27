// The engine reports this one itself; the definition carries its metadata and docs. Its severity is the
// config's gate (`unreviewable: fail`) or below it (`unreviewable: warn`), never a per-rule override.
import { defineRule } from '../../src/engine/define-rule.js';

export default defineRule({
  id: 'warden/not-reviewed',
  severity: 'high',
  title: 'File not reviewed',
  fixable: false,
  scope: 'resource',
  kinds: [],
  docs: {
    why:
      'Warden is a required check: a changed file it could not review (over a size, time or nesting limit, unreadable or ' +
      'cut short when read, a template it cannot render, a parser that died on it) may hold anything, a privileged pod or a ' +
      'public bucket included. So may what a changed file deploys that another tool renders or fetches (an Argo CD ' +
      'Application of a Helm chart, a Flux HelmRelease, Terraform\'s helm_release, a module Warden does not know, a variable Flux fills in from the cluster\'s ConfigMaps): the finding then sits ' +
      'on those lines, and the rest of the file is reviewed. Passing the check anyway would let such a change merge unreviewed, so by default this ' +
      'finding fails the check (`unreviewable: fail`); the message says why the file was not reviewed. On a whole file it ' +
      'cannot be suppressed with `warden:ignore`, since the comment would sit in the file Warden could not read; on part of ' +
      'a file it can, above that part\'s first line, with a reason (`# warden:ignore warden/not-reviewed -- the chart is ' +
      'reviewed in its own repository`), under `suppressions.in_pull_request` like any suppression a pull request adds.',
    fix:
      'Make the file reviewable: split a generated bundle into smaller files, remove the content that hit a limit, render ' +
      'a template before committing it, or exclude files nobody deploys with `paths.exclude`. An admin who accepts the ' +
      'risk can set `unreviewable: warn` in `.github/warden.yml` on the default branch: the finding is then listed below the ' +
      'gate and never fails the check.',
  },
  references: {},
  messages: {},
  check() {},
});
