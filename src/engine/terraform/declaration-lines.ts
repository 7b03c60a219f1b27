// Where a Terraform file declares its variables and locals, by line: a change to a variable's `default` or to a
// local's expression changes every resource of the module that reads it, as a changed definitions file's assignment
// does (src/engine/data-reads.ts).
import type { ParsedFile, Range } from '../../model.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { tfJsonDeclarationLines } from '../../formats/tfjson.js';
import { bodyOf, labelsOf, nameOf, rangeOfNode, syntaxTree } from '../../formats/hcl-tree.js';
import { rangeTouches } from '../../diff.js';
import { moduleOf } from './references.js';
import { setOwn } from '../../common/own-key.js';

export interface DeclarationLines {
  /** Each `variable` block: its lines, and its `default` attribute's when it has one. */
  variables: Record<string, { block: Range; default?: Range }>;
  /** Each local, by the lines of its attribute in a `locals` block. */
  locals: Record<string, Range>;
}

/** The lines of a file's `variable` blocks and locals, from its syntax tree (initHcl must have run). */
export function declarationLines(text: string): DeclarationLines {
  return syntaxTree(text, (root) => {
    const found: DeclarationLines = { variables: {}, locals: {} };
    const top = root.namedChildren.find((c) => c?.type === 'body');
    for (const block of top?.namedChildren ?? []) {
      if (block?.type !== 'block') continue;
      const keyword = nameOf(block);
      const attributes = (bodyOf(block)?.namedChildren ?? []).filter((c) => c?.type === 'attribute');
      if (keyword === 'variable') {
        const name = labelsOf(block)[0];
        if (name === undefined) continue;
        const at = attributes.find((a) => nameOf(a!) === 'default');
        setOwn(found.variables, name, { block: rangeOfNode(block), ...(at ? { default: rangeOfNode(at) } : {}) });
      } else if (keyword === 'locals') {
        for (const attribute of attributes) setOwn(found.locals, nameOf(attribute!), rangeOfNode(attribute!));
      }
    }
    return found;
  });
}

/** Whether a file may declare variables or locals (HCL's blocks, Terraform JSON's keys): else no lines are looked for. */
export function mayDeclare(file: ParsedFile): boolean {
  if (file.format === 'hcl') return /^[ \t]*(variable|locals)\b/m.test(file.text);
  return file.format === 'tfjson' && /"(variable|locals)"\s*:/.test(file.text);
}

/**
 * The lines of an HCL or Terraform JSON file's variables and locals. One Terraform JSON declares but that is not found
 * in its text (a shape not followed there) counts as every line of the file: more reviewed as changed, never less.
 */
export function declarationLinesOf(file: ParsedFile): DeclarationLines {
  if (file.format !== 'tfjson') return declarationLines(file.text);
  const found = tfJsonDeclarationLines(file.text);
  const everywhere = everyLine(file);
  for (const [name, block] of Object.entries(everywhere.variables)) found.variables[name] ??= block;
  for (const [name, range] of Object.entries(everywhere.locals)) found.locals[name] ??= range;
  return found;
}

/** Every variable and local the file declares, each at every line of the file. */
function everyLine(file: ParsedFile): DeclarationLines {
  const declared = terraformDeclarations(file);
  const whole = { startLine: 1, endLine: file.text.split('\n').length };
  return {
    variables: Object.fromEntries(Object.keys(declared.variables).map((name) => [name, { block: whole }])),
    locals: Object.fromEntries(Object.keys(declared.locals).map((name) => [name, whole])),
  };
}

/**
 * The keys (`module\0var.x`, `module\0local.y`) of the variables and locals whose declaration lines the change
 * touched in these files (files without a change set: none). A file whose lines cannot be read has all of its
 * declarations touched: more resources reviewed, never fewer.
 */
export function touchedDeclarations(files: readonly ParsedFile[], changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>): string[] {
  const keys: string[] = [];
  for (const file of files) {
    const changed = changedOf.get(file.file);
    if (!changed || changed.size === 0 || !mayDeclare(file)) continue;
    const module = moduleOf(file);
    let lines: DeclarationLines;
    try {
      lines = declarationLinesOf(file);
    } catch {
      lines = everyLine(file);
    }
    for (const [name, { block }] of Object.entries(lines.variables)) if (rangeTouches(block, changed)) keys.push(`${module}\0var.${name}`);
    for (const [name, range] of Object.entries(lines.locals)) if (rangeTouches(range, changed)) keys.push(`${module}\0local.${name}`);
  }
  return keys;
}
