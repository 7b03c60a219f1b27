// Grouping a file's findings by overlapping edits: the indexed grouping must give exactly the groups, in the order,
// that comparing every edit with every group gives (written out here as the reference), on random line ranges.
import { expect, it } from 'vitest';
import { groupFindings, offeredEdit, overlaps, worstFirst } from '../../src/engine/fix-groups.js';
import type { Finding, Severity } from '../../src/model.js';

function reference(findings: readonly Finding[]): Finding[][] {
  const byFile = new Map<string, { findings: Finding[]; edits: { startLine: number; endLine: number }[] }[]>();
  for (const finding of findings) {
    const groups = byFile.get(finding.file) ?? byFile.set(finding.file, []).get(finding.file)!;
    const edit = offeredEdit(finding);
    if (!edit) {
      groups.push({ findings: [finding], edits: [] });
      continue;
    }
    const touching = groups.filter((g) => g.edits.some((e) => overlaps(e as never, edit)));
    for (const g of touching) groups.splice(groups.indexOf(g), 1);
    groups.push({ findings: [...touching.flatMap((g) => g.findings), finding], edits: [...touching.flatMap((g) => g.edits), edit] });
  }
  return [...byFile.values()].flatMap((groups) => groups.map((g) => g.findings.sort(worstFirst)));
}

it('groups findings as comparing every edit with every group does, for random edits', () => {
  let seed = 99;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const severities: Severity[] = ['low', 'medium', 'high'];
  for (let trial = 0; trial < 300; trial++) {
    const findings: Finding[] = Array.from({ length: 1 + rnd(60) }, (_, i) => {
      const file = `f${rnd(3)}.yaml`;
      const startLine = 1 + rnd(80);
      const endLine = startLine + rnd(rnd(4) === 0 ? 15 : 3);
      const edits = rnd(6) === 0 ? [] : [{ file, startLine, endLine, replacement: 'x' }];
      // Ties on severity, line and rule, so that the order members joined in shows.
      return { ruleId: `r${rnd(2)}`, severity: severities[rnd(3)]!, title: '', message: `m${i}`, file, line: 1 + rnd(5), endLine: 1, resource: 'R', path: [], fingerprint: `p${i}`, fix: edits.length ? { description: '', applicability: 'safe', ops: [], edits } : null, suppressed: null } as Finding;
    });
    expect(groupFindings(findings).map((g) => g.map((f) => f.fingerprint))).toEqual(reference(findings).map((g) => g.map((f) => f.fingerprint)));
  }
});
