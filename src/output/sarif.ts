// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it, with rules' help and fixes.
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from 'sarif';
import { VERSION } from '../version.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { Finding, Severity } from '../model.js';
import type { Renderer } from './report.js';

const LEVEL: Record<Severity, Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
// GitHub maps security-severity to its own critical/high/medium/low bands.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

function referencesMarkdown(rule: AnyRule): string {
  const r = rule.references;
  const rows = [
    r.pss && `Pod Security Standards: ${r.pss}`,
    r.cis && `CIS: ${r.cis}`,
    r.nist && `NIST: ${r.nist}`,
    r.checkov && `Checkov: ${r.checkov}`,
    r.kics && `KICS: ${r.kics}`,
    r.kubeLinter && `kube-linter: ${r.kubeLinter}`,
    ...(r.links ?? []),
  ].filter(Boolean);
  return rows.map((row) => `- ${row}`).join('\n');
}

function descriptor(rule: AnyRule, helpUri: (id: string) => string | undefined): ReportingDescriptor {
  const refs = referencesMarkdown(rule);
  const uri = helpUri(rule.id);
  return {
    id: rule.id,
    name: rule.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.why },
    help: {
      text: `${rule.docs.why}\n\nFix: ${rule.docs.fix}`,
      markdown: `${rule.docs.why}\n\n**Fix.** ${rule.docs.fix}${refs ? `\n\n**References**\n${refs}` : ''}`,
    },
    ...(uri ? { helpUri: uri } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['security', rule.id.split('/')[0]!], 'security-severity': SECURITY_SEVERITY[rule.severity], precision: 'high' },
  };
}

function result(f: Finding, ruleIndex: number, uri: (file: string) => ArtifactLocation): Result {
  const location = { artifactLocation: uri(f.file), region: { startLine: f.line, endLine: f.endLine } };
  return {
    ruleId: f.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: location, logicalLocations: [{ fullyQualifiedName: f.resource }] }],
    partialFingerprints: { 'wardenFingerprint/v1': f.fingerprint },
    properties: { 'security-severity': SECURITY_SEVERITY[f.severity], ...(f.preExisting ? { preExisting: true } : {}) },
    ...(f.fix && f.fix.edits.length > 0
      ? {
          fixes: [
            {
              description: { text: f.fix.description },
              // By the file each edit is in: a fix may edit another file than its finding's (a chart's values file).
              artifactChanges: [...new Set(f.fix.edits.map((e) => e.file))].map((file) => ({
                artifactLocation: uri(file),
                replacements: f.fix!.edits
                  .filter((e) => e.file === file)
                  .map((e) => ({
                    deletedRegion: { startLine: e.startLine, endLine: e.endLine },
                    insertedContent: { text: e.replacement },
                  })),
              })),
            },
          ],
        }
      : {}),
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppressed.reason || undefined }] } : {}),
  };
}

export function sarifRenderer(helpUri: (id: string) => string | undefined = () => undefined): Renderer {
  return (report) => {
    const used = [...new Set(report.findings.map((f) => f.ruleId))];
    const rules = report.rules.filter((r) => used.includes(r.id));
    const index = new Map(rules.map((r, i) => [r.id, i]));
    // Code scanning wants URIs relative to the repository root, based on %SRCROOT%.
    const uri = (file: string): ArtifactLocation => ({ uri: (report.repositoryPath ?? ((p) => p))(file), uriBaseId: '%SRCROOT%' });
    const log: Log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Warden', version: VERSION, rules: rules.map((r) => descriptor(r, helpUri)) } },
          // One category per tool, so a repository's other SARIF uploads are not replaced by Warden's.
          automationDetails: { id: 'warden/' },
          results: report.findings.map((f) => result(f, index.get(f.ruleId) ?? -1, uri)),
          invocations: [
            {
              executionSuccessful: report.errors.length === 0,
              toolExecutionNotifications: [...report.errors, ...report.notes].map((n) => ({
                level: report.errors.includes(n) ? ('error' as const) : ('note' as const),
                message: { text: n.message },
                locations: [{ physicalLocation: { artifactLocation: uri(n.file) } }],
              })),
            },
          ],
        },
      ],
    };
    return JSON.stringify(log, null, 2) + '\n';
  };
}
