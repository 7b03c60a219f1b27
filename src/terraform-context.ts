// What a review reads around its changed Terraform files, besides them (src/module-context.ts): the unchanged files
// of their modules, their callers and the configurations Terragrunt units include, as context; and what the change
// touched that resources elsewhere read. Context files change nowhere: only their resources a touched key reaches are
// reviewed (src/engine/data-reads.ts).
import { posix } from 'node:path';
import type { Config } from './config.js';
import type { RepositoryReader } from './engine/repository.js';
import type { NotReviewed } from './fail-closed.js';
import type { Note } from './model.js';
import { moduleSiblings, removedProtections, terragruntParents, unassignedVariables } from './module-context.js';
import { isTerragruntUnit, variablesGivenAt } from './formats/terragrunt.js';

interface ChangedText {
  path: string;
  headText: string;
  baseText?: string | null;
  patch?: string | null;
}

export interface TerraformContext {
  /** Unchanged files read for what the changed ones read or give values to: the same at base and head. */
  files: { path: string; headText: string }[];
  paths: ReadonlySet<string>;
  /** Keys of what the change touched that resources in other files read, handed to the scan. */
  touched: string[];
  /** Files the change deletes that the baseline scans at base: definitions files, files a protective block went with. */
  deletedAtBase: { path: string; baseText: string }[];
  notes: Note[];
  /** Each configuration Terragrunt units include, with the units (and lines) that include it. */
  includedBy: ReadonlyMap<string, readonly { unit: string; line: number }[]>;
}

const NONE: TerraformContext = { files: [], paths: new Set(), touched: [], deletedAtBase: [], notes: [], includedBy: new Map() };

/** The context of the changed files (`changed`) and deleted ones (`removed`), read from the repository at head. */
export async function terraformContext(
  changed: readonly ChangedText[],
  removed: readonly { path: string; baseText: string | null }[],
  options: { reader: RepositoryReader | undefined; admitted: (path: string) => boolean; config: Config; notReviewed: NotReviewed },
): Promise<TerraformContext> {
  const { deletedVarFiles, unsetVariables } = unassignedVariables(changed, removed, options.config);
  // A protective block deleted or cut from another file than what it protected: what it protected is judged again.
  const lost = removedProtections(changed, removed);
  const deletedAtBase = [...deletedVarFiles, ...lost.deletedFiles];
  const { reader, notReviewed } = options;
  if (!reader) return { ...NONE, touched: [...unsetVariables, ...lost.touched], deletedAtBase };
  const modules = await moduleSiblings(changed, reader, options.admitted, [...deletedVarFiles.map((f) => posix.dirname(f.path)), ...lost.modules]);
  // The rest of such a file was reviewed (what it writes is judged): a part not reviewed, said from its first line.
  for (const { file, reason } of modules.notReviewed) notReviewed(file, reason, 1);
  // The configurations Terragrunt units include: their inputs are merged into the units'.
  const included = await terragruntParents([...changed, ...modules.files], reader);
  for (const { file, reason, line } of included.notReviewed) notReviewed(file, reason, line);
  // A unit that calls a changed module is not built when its `extra_arguments` give Terraform variables (its inputs
  // are not what the module gets): what it deploys with the change is not known. Its own parts not reviewed are said
  // only where a change touches it, and this one is read as context: said here.
  const changedPaths = new Set(changed.map((f) => f.path));
  for (const f of modules.files) {
    const line = !changedPaths.has(f.path) && isTerragruntUnit(f.path) && modules.touched.length > 0 ? variablesGivenAt(f.headText) : null;
    if (line !== null) notReviewed(f.path, 'what this unit deploys with the change to the module it calls: its `extra_arguments` give Terraform variables that Warden does not read, and they win over its inputs', line);
  }
  const files = [...modules.files, ...included.files.filter((f) => !modules.files.some((m) => m.path === f.path))];
  return {
    files,
    paths: new Set(files.map((f) => f.path)),
    touched: [...unsetVariables, ...lost.touched, ...modules.touched],
    deletedAtBase,
    notes: modules.notes,
    includedBy: included.includedBy,
  };
}

/** An included configuration that does not parse gave its units no inputs: theirs are not known. */
export function unreadIncludes(context: TerraformContext, scanned: readonly { file: string; errors: readonly unknown[]; notReviewed?: string }[], notReviewed: NotReviewed): void {
  for (const f of scanned) {
    if (f.errors.length === 0 && f.notReviewed === undefined) continue;
    for (const { unit, line } of context.includedBy.get(f.file) ?? []) notReviewed(unit, `the configuration it includes, \`${f.file}\`, could not be read as HCL, so this unit's inputs merged with it are not known`, line);
  }
}
