// The check-run summary lists what Warden could not review first; the CLI's Markdown and text outputs go through
// the same escaping layer as the App.
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Finding } from '../../src/model.js';
import type { ReviewResult } from '../../src/review.js';
import { buildReport, NOT_REVIEWED } from '../../src/github/check-run.js';
import { renderMarkdown } from '../../src/output/markdown.js';
import { renderText } from '../../src/output/text.js';
import { sarifRenderer } from '../../src/output/sarif.js';
import type { Report } from '../../src/output/report.js';
import { liveMarkup } from './markdown-check.js';

const DOCS = 'https://github.com/warden-app/warden/blob/main/docs/rules';

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'k8s/privileged',
    severity: 'critical',
    title: 'Privileged container',
    message: 'Container `triton` runs privileged.',
    file: 'k8s/triton.yaml',
    line: 14,
    endLine: 14,
    resource: 'Deployment/models/triton',
    path: [],
    fingerprint: 'a1',
    fix: null,
    suppressed: null,
    ...overrides,
  };
}

function result(findings: Finding[]): ReviewResult {
  return { findings, gating: findings.filter((f) => !f.suppressed), notes: [], errors: [], lapsedSuppressions: [], patches: new Map(), scan: { files: [], findings: [], errors: [] }, stats: { files: 2, resources: 1, ms: 1 } } as unknown as ReviewResult;
}

describe('the check-run summary', () => {
  test('lists warden/not-reviewed findings first, with their reason, and not again by file', () => {
    const notReviewed = finding({ ruleId: NOT_REVIEWED, severity: 'high', title: 'Not reviewed', file: 'k8s/huge.yaml', line: 1, message: 'This file is over the 4 MiB limit: @octocat <b>', fingerprint: 'b2' });
    const report = buildReport({ result: result([finding({}), notReviewed]), config: DEFAULT_CONFIG, plan: null, problems: [], review: '' });
    expect(report.summary).toBe(
      'A new finding at or above **high** fails this check; pre-existing findings do not.\n\n' +
        '| Severity | New | Pre-existing | Suppressed |\n|---|---:|---:|---:|\n| critical | 1 | 0 | 0 |\n| high | 1 | 0 | 0 |\n| medium | 0 | 0 | 0 |\n| low | 0 | 0 | 0 |\n\n' +
        '### Could not be reviewed\n\n| File | Line | Why |\n|---|---:|---|\n| `k8s/huge.yaml` | 1 | This file is over the 4 MiB limit: @&#8203;octocat &lt;b&gt; |\n\n' +
        '### Findings (what fails this check first)\n\n| Gates | Severity | Where | Rule | Finding |\n|---|---|---|---|---|\n' +
        `| **gates** | critical | \`k8s/triton.yaml:14\` | [\`k8s/privileged\`](${DOCS}/k8s/privileged.md) | Container \`triton\` runs privileged. |\n\n` +
        '<sub>2 files, 1 resource reviewed</sub>',
    );
  });

  test('code a message quotes over several lines goes under the table in a <details> block, fenced, not into the cell', () => {
    const snippet = 'securityContext:\n  privileged: true';
    const report = buildReport({ result: result([finding({ message: `The rendered object sets \`${snippet}\` here.` })]), config: DEFAULT_CONFIG, plan: null, problems: [], review: '' });
    const row = report.summary.split('\n').find((l) => l.startsWith('| **gates** |'))!;
    expect(row).toContain('| The rendered object sets (code below) here. |');
    expect(report.summary).toContain(`|\n\n<details><summary>Code quoted by a finding</summary>\n\n\`k8s/triton.yaml:14\`\n\n\`\`\`text\n${snippet}\n\`\`\`\n\n</details>`);
    expect(liveMarkup(report.summary, { html: ['<details><summary>Code quoted by a finding</summary>', '</details>', '<sub>', '</sub>'], blocks: ['text'], headings: 1 })).toEqual([]);
  });

  test('20,000 findings: the summary is cut to fit, rendered in linear time (a generous bound: quadratic took ~50 s)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => finding({ file: `k8s/f${i % 2000}.yaml`, line: 1 + (i % 40), message: `Container \`triton-${i}\` runs privileged.`, fingerprint: i.toString(16) }));
    const started = Date.now();
    const report = buildReport({ result: result(many), config: DEFAULT_CONFIG, plan: null, problems: [], review: '' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(report.summary.length).toBeLessThanOrEqual(65_535);
    // As many rows as fit, though only those are rendered.
    expect(report.summary.length).toBeGreaterThan(60_000);
    expect(report.summary).toMatch(/_…and \d+ more findings, left out to keep this summary within GitHub's size limit: see the annotations._/);
  });

  test('a problem, a note and a title from content are inert and within limits', () => {
    const report = buildReport({
      result: { ...result([finding({})]), notes: [{ file: 'a`\n# x.yaml', message: 'skipped: <details>' }] } as ReviewResult,
      config: DEFAULT_CONFIG,
      plan: null,
      problems: ['GitHub answered 500: \u202E' + '@octocat '.repeat(100)],
      review: '',
    });
    expect(report.title.length).toBeLessThanOrEqual(255);
    expect(report.title).not.toContain('\u202E');
    expect(liveMarkup(report.summary, { html: ['<sub>', '</sub>'], headings: 2 })).toEqual([]);
  });
});

function cliReport(findings: Finding[], texts = new Map<string, string>()): Report {
  return { findings, errors: [{ file: 'x\u001B[2J.yaml', message: 'bad\u001B]0;title\u0007' }], notes: [], stats: { files: 1, resources: 1, ms: 1 }, rules: [], texts, gate: 'high', gating: findings };
}

describe('the command line', () => {
  const hostile = finding({
    file: 'k8s/a|b`.yaml',
    message: 'Container `x` @octocat <img src=x>` runs privileged.',
    suppressed: { reason: '#1 ![](http://t.example/p.png)', line: 3 },
  });

  test('--format markdown: every field inert, every table row whole', () => {
    const out = renderMarkdown(cliReport([finding({}), hostile]));
    expect(out).toContain('| `k8s/triton.yaml:14` | critical | `k8s/privileged` | Container `triton` runs privileged. |');
    expect(out).toContain('- ``k8s/a|b`.yaml:14`` `k8s/privileged`: #&#8203;1 !\\[\\](http:&#8203;//t.example/p.png)');
    expect(liveMarkup(out, { headings: 3 })).toEqual([]);
  });

  test('--format markdown and text say which suppressions the change wrote, and which of those still gate', () => {
    const written = finding({ fingerprint: 'w', line: 20, suppressed: { reason: 'load test only', line: 19, inPullRequest: true } });
    const denied = finding({ fingerprint: 'd', line: 30, suppressed: { reason: 'later', line: 29, inPullRequest: true } });
    const older = finding({ fingerprint: 'o', line: 40, suppressed: { reason: 'accepted', line: 39 } });
    const report = { ...cliReport([written, denied, older]), gating: [denied] };
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('- `k8s/triton.yaml:20` `k8s/privileged` (suppressed in this change): load test only');
    expect(markdown).toContain('- `k8s/triton.yaml:30` `k8s/privileged` (suppressed in this change, still gating): later');
    expect(markdown).toContain('- `k8s/triton.yaml:40` `k8s/privileged`: accepted');
    const text = renderText(report);
    expect(text).toContain('(suppressed in this change: load test only)');
    expect(text).toContain('(suppressed in this change, still gating: later)');
    expect(text).toContain('(suppressed: accepted)');
  });

  test('--format text: a finding about a file itself names the file once, a resource\'s names the resource', () => {
    const notReviewed = finding({ ruleId: 'warden/not-reviewed', fingerprint: 'n', line: 3, resource: 'k8s/kustomization.yaml', file: 'k8s/kustomization.yaml' });
    const lines = renderText(cliReport([notReviewed, finding({})])).split('\n');
    expect(lines).toContain('k8s/kustomization.yaml:3  CRITICAL  warden/not-reviewed');
    expect(lines).toContain('k8s/triton.yaml:14  CRITICAL  k8s/privileged  Deployment/models/triton');
  });

  test('--format text: a message keeps the lines its rule wrote (a YAML snippet stays indented), each under its finding', () => {
    const snippet = finding({ message: 'No policy. Add:\n```yaml\nkind: NetworkPolicy\nspec:\n  podSelector: {}\n```' });
    const lines = renderText(cliReport([snippet])).split('\n');
    const at = lines.indexOf('  No policy. Add:');
    expect(lines.slice(at, at + 6)).toEqual(['  No policy. Add:', '  ```yaml', '  kind: NetworkPolicy', '  spec:', '    podSelector: {}', '  ```']);
  });

  test('--format text: a secret that straddles the message\'s cut is masked, not cut into what no pattern matches', () => {
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0a1B2c3D4e5F6g7H8';
    const out = renderText(cliReport([finding({ message: `${'x'.repeat(990)} ${token}` })]));
    expect(out).not.toContain('ghp_');
  });

  test('--format text: no control character reaches the terminal, secrets are masked', () => {
    const text = 'a: 1\nuri: http://admin:hunter2@h/m\n';
    const withFix = finding({
      message: 'Uses \u001B[31mhttp://admin:hunter2@h/m\u001B[0m',
      fix: { description: 'Use https', applicability: 'safe', ops: [], edits: [{ file: 'k8s/triton.yaml', startLine: 2, endLine: 2, replacement: 'uri: https://admin:hunter2@h/m' }] },
    });
    const out = renderText(cliReport([withFix], new Map([['k8s/triton.yaml', text]])));
    expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(out).not.toContain('hunter2');
    expect(out).toContain('    -uri: http://***@h/m\n    +uri: https://***@h/m');
  });

  test('--format text: an edit in another file than the finding is named and shown against that file, or as the lines it writes', () => {
    const template = 'spec:\n  containers:\n  - name: triton\n';
    const values = 'securityContext:\n  runAsUser: 1000\n';
    const edit = { file: 'chart/values.yaml', startLine: 2, endLine: 2, replacement: '  runAsUser: 1000\n  readOnlyRootFilesystem: true' };
    const onTemplate = finding({ file: 'chart/templates/deployment.yaml', line: 3, fix: { description: 'Set readOnlyRootFilesystem', applicability: 'safe', ops: [], edits: [edit] } });
    const read = renderText(cliReport([onTemplate], new Map([['chart/templates/deployment.yaml', template], ['chart/values.yaml', values]])));
    expect(read).toContain('    in chart/values.yaml:\n');
    expect(read).toContain('    @@ -2,1 +2,2 @@\n       runAsUser: 1000\n    +  readOnlyRootFilesystem: true');
    expect(read).not.toContain('-  - name: triton');
    const unread = renderText(cliReport([onTemplate], new Map([['chart/templates/deployment.yaml', template]])));
    expect(unread).toContain('    in chart/values.yaml:\n    lines 2-2 become:\n      runAsUser: 1000\n      readOnlyRootFilesystem: true');
  });

  test('--format sarif: a fix whose edit is in another file than its finding changes that file', () => {
    const edit = { file: 'chart/values.yaml', startLine: 2, endLine: 2, replacement: '  runAsUser: 1000\n  readOnlyRootFilesystem: true' };
    const onTemplate = finding({ file: 'chart/templates/deployment.yaml', line: 3, fix: { description: 'Set readOnlyRootFilesystem', applicability: 'safe', ops: [], edits: [edit] } });
    const report = { ...cliReport([onTemplate]), repositoryPath: (file: string) => file };
    const sarif = JSON.parse(sarifRenderer()(report)) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; fixes: { artifactChanges: { artifactLocation: { uri: string }; replacements: unknown[] }[] }[] }[] }[] };
    const [result] = sarif.runs[0]!.results;
    expect(result!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('chart/templates/deployment.yaml');
    expect(result!.fixes[0]!.artifactChanges.map((c) => [c.artifactLocation.uri, c.replacements.length])).toEqual([['chart/values.yaml', 1]]);
  });
});
