// ESLint-style rule tests: valid / invalid / output triplets. For every fix it proves that the output
// parses, that re-scanning it finds nothing for the rule, that applying the fix again changes nothing,
// and that each finding's own edit, applied alone as GitHub applies a suggestion, clears that finding.
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../src/config.js';
import type { AnyRule } from '../src/engine/define-rule.js';
import { applyEdits } from '../src/engine/edits.js';
import { scanFiles } from '../src/engine/run.js';
import { buildRepositoryIndex, memoryReader } from '../src/engine/repository-index.js';
import type { Finding } from '../src/model.js';

export interface ValidCase {
  name: string;
  code: string;
  /** File name; its extension picks the format. Default `manifest.yaml`. */
  file?: string;
  config?: Record<string, unknown>;
  /** Other files of the repository, for cross-resource rules: read through the repository index, which is then complete. */
  repository?: Record<string, string>;
}

export interface InvalidCase extends ValidCase {
  /** Expected findings of the rule, in file order: lines, and optionally a message fragment. */
  errors: { line: number; endLine?: number; message?: string | RegExp }[];
  /** The file after every fix is applied; null when the rule offers no fix. */
  output: string | null;
}

const FILE = 'manifest.yaml';

async function run(rule: AnyRule, file: string, code: string, config: Config, others?: Record<string, string>): Promise<{ findings: Finding[]; errors: number }> {
  const repository = others ? await buildRepositoryIndex(memoryReader({ ...others, [file]: code }), config) : undefined;
  const result = await scanFiles([{ path: file, text: code }], { config, rules: [rule], repository });
  return {
    findings: result.findings.filter((f) => f.ruleId === rule.id),
    errors: result.findings.filter((f) => f.ruleId === 'warden/parse-error').length,
  };
}

/** Apply every finding's ops in turn, each against the text the previous one produced. */
async function applyAll(file: string, code: string, findings: Finding[], config: Config, rule: AnyRule): Promise<string> {
  const parsed = await scanFiles([{ path: file, text: code }], { config, rules: [rule], renderFixes: false });
  const resources = parsed.parsed.flatMap((p) => p.resources);
  let text = code;
  for (const finding of findings) {
    if (!finding.fix) continue;
    const resource = resources.find((r) => r.id === finding.resource);
    if (!resource) throw new Error(`no resource ${finding.resource}`);
    text = resource.source.apply(text, finding.fix.ops);
  }
  return text;
}

export function ruleTester(rule: AnyRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const { findings, errors } = await run(rule, c.file ?? FILE, c.code, resolveConfig(c.config ?? {}), c.repository);
        expect(errors, 'the valid case must parse').toBe(0);
        expect(findings.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const file = c.file ?? FILE;
        const config = resolveConfig(c.config ?? {});
        const { findings, errors } = await run(rule, file, c.code, config, c.repository);
        expect(errors, 'the invalid case must parse').toBe(0);
        expect(findings.map((f) => f.line), 'finding lines').toEqual(c.errors.map((e) => e.line));
        c.errors.forEach((expected, i) => {
          const finding = findings[i]!;
          if (expected.endLine !== undefined) expect(finding.endLine).toBe(expected.endLine);
          if (typeof expected.message === 'string') expect(finding.message).toContain(expected.message);
          else if (expected.message) expect(finding.message).toMatch(expected.message);
        });

        const fixable = findings.filter((f) => f.fix && f.fix.applicability !== 'display');
        if (c.output === null) {
          expect(fixable.map((f) => f.fix?.description), 'no fix expected').toEqual([]);
          return;
        }
        expect(fixable.length, 'a fix was expected').toBeGreaterThan(0);
        const output = await applyAll(file, c.code, findings, config, rule);
        expect(output).toBe(c.output);

        const rescan = await run(rule, file, output, config, c.repository);
        expect(rescan.errors, 'the fixed output must parse').toBe(0);
        expect(rescan.findings.filter((f) => fixable.some((g) => g.fingerprint === f.fingerprint)).map((f) => f.message), 'the fix must clear its findings').toEqual([]);
        expect(await applyAll(file, output, findings, config, rule), 'applying the fix twice changes nothing').toBe(output);

        for (const finding of fixable) {
          const alone = applyEdits(c.code, finding.fix!.edits);
          const after = await run(rule, file, alone, config, c.repository);
          expect(after.errors, `the edit of ${finding.message} must leave the file parseable`).toBe(0);
          expect(after.findings.map((f) => f.fingerprint)).not.toContain(finding.fingerprint);
        }
      });
    }
  });
}
