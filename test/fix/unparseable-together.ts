// For tests of the fix loop's last guard (a file whose proven edits do not parse together is left as it was):
// planFixes as the loop sees it, with one more edit on BROKEN that leaves the file unparseable, proven as far as
// the loop knows. Planning proves a file's edits together first, so real rules rarely reach that guard.
import type * as Fixes from '../../src/fixes.js';

export const BROKEN = 'k8s/broken.yaml';

export function withUnclosedEdit(real: typeof Fixes): typeof Fixes {
  const planFixes: typeof real.planFixes = async (findings, texts, context) => {
    const groups = await real.planFixes(findings, texts, context);
    const text = texts.get(BROKEN);
    const some = groups.find((g) => g.file === BROKEN && g.edit);
    if (text === undefined || !some) return groups;
    // The file's last line, which no fix of its Deployment touches, opened as a flow sequence never closed.
    const last = text.replace(/\n$/, '').split('\n').length;
    return [...groups, { ...some, edit: { file: BROKEN, startLine: last, endLine: last, replacement: '    targetPort: [8000' } }];
  };
  return { ...real, planFixes };
}
