// What a review reads around its changed Terraform files, besides them (src/module-context.ts): the unchanged files
// of their modules, their callers and the configurations Terragrunt units include, as context; and what the change
// touched that resources elsewhere read. Context files change nowhere: only their resources a touched key reaches are
// reviewed (src/engine/data-reads.ts).
import { posix } from 'node:path';
import type { Config } from './config.js';
import type { RepositoryReader } from './engine/repository.js';
import type { NotReviewed } from './fail-closed.js';
import type { Note } from './model.js';
import { includingUnits, moduleSiblings, removedProtections, terragruntParents, unassignedVariables } from './module-context.js';
import { isTerragruntUnit, variablesGivenAt } from './formats/terragrunt.js';
import { fileKind } from './formats/index.js';
import { checkText } from './formats/text.js';
import { skipUnreadable } from './engine/repository.js';
import { localModuleFiles } from './engine/terraform/module-files.js';
import { undoPatch } from './diff.js';
import { keysReadBy, readByTerraform } from './terraform-files.js';
import { failing } from './unread-deployed.js';

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
  /**
   * The changed configurations Terragrunt units include (a `root.hcl`) that the review does not hold already (of a
   * name `paths.include` leaves out): reviewed as changed files, in the units that include them (among `files`).
   */
  changedIncludes: ChangedText[];
  /** Each changed configuration judged in the units that include it, with those units: checked once they are scanned. */
  judgedIn: ReadonlyMap<string, readonly string[]>;
}

const NONE: TerraformContext = { files: [], paths: new Set(), touched: [], deletedAtBase: [], notes: [], includedBy: new Map(), changedIncludes: [], judgedIn: new Map() };

/** The other paths the change writes (`written`), with what the review knows of them: their texts, or their patches. */
interface WrittenPaths {
  written?: readonly string[];
  changes?: readonly { path: string; headText: string | null; baseText?: string | null; patch?: string | null }[];
  writtenPatches?: ReadonlyMap<string, string>;
}

/** The context of the changed files (`changed`) and deleted ones (`removed`), read from the repository at head. */
export async function terraformContext(
  changed: readonly ChangedText[],
  removed: readonly { path: string; baseText: string | null }[],
  options: { reader: RepositoryReader | undefined; admitted: (path: string) => boolean; config: Config; notReviewed: NotReviewed } & WrittenPaths,
): Promise<TerraformContext> {
  const { deletedVarFiles, unsetVariables } = unassignedVariables(changed, removed, options.config);
  // A protective block deleted or cut from another file than what it protected: what it protected is judged again.
  const lost = removedProtections(changed, removed);
  const deletedAtBase = [...deletedVarFiles, ...lost.deletedFiles];
  const { reader, notReviewed } = options;
  // A file Terraform may read with `file()` (a policy document, a template): the modules above it read it relative to
  // themselves, and what reads it is judged again (src/terraform-files.ts).
  const read = readByTerraform(options.written ?? []);
  if (!reader) return { ...NONE, touched: [...unsetVariables, ...lost.touched, ...keysReadBy(read.touched, changed)], deletedAtBase };
  // Listed for them even when nothing else of the change is Terraform's: a listing that fails says what it was for.
  if (read.folders.length > 0) await failing(reader.paths(), 'the repository could not be listed');
  const modules = await moduleSiblings(changed, reader, options.admitted, [...deletedVarFiles.map((f) => posix.dirname(f.path)), ...lost.modules, ...read.folders]);
  // The rest of such a file was reviewed (what it writes is judged): a part not reviewed, said from its first line.
  for (const { file, reason } of modules.notReviewed) notReviewed(file, reason, 1);
  // A changed configuration Terragrunt units include: reviewed in the units that include it, with their modules.
  const includes = await changedIncludes(changed, reader, options);
  const unitModules = await localModuleFiles(includes.units.map((u) => ({ path: u.path, text: u.headText })), reader, (p) => fileKind(p) === 'hcl' && options.admitted(p));
  const unitContext = [...includes.units, ...unitModules.files.flatMap(({ path, text }) => {
    const checked = checkText(text);
    return 'text' in checked ? [{ path, headText: checked.text }] : [];
  })];
  // The configurations Terragrunt units include: their inputs are merged into the units'.
  const included = await terragruntParents([...changed, ...includes.changed, ...modules.files, ...unitContext], reader);
  for (const { file, reason, line } of included.notReviewed) {
    // What a unit read only for a changed configuration it includes cannot follow: said of that configuration's change.
    const configs = includes.configsOf.get(file);
    if (configs) for (const config of configs) notReviewed(config, `the Terragrunt unit \`${file}\` includes this configuration, and what it deploys with it is not known: ${reason}`);
    else notReviewed(file, reason, line);
  }
  // A unit that calls a changed module is not built when its `extra_arguments` give Terraform variables (its inputs
  // are not what the module gets): what it deploys with the change is not known. Its own parts not reviewed are said
  // only where a change touches it, and this one is read as context: said here.
  const changedPaths = new Set(changed.map((f) => f.path));
  for (const f of modules.files) {
    const line = !changedPaths.has(f.path) && isTerragruntUnit(f.path) && modules.touched.length > 0 ? variablesGivenAt(f.headText) : null;
    if (line !== null) notReviewed(f.path, 'what this unit deploys with the change to the module it calls: its `extra_arguments` give Terraform variables that Warden does not read, and they win over its inputs', line);
  }
  const reviewedPaths = new Set([...changedPaths, ...includes.changed.map((f) => f.path)]);
  const files = [...new Map([...modules.files, ...unitContext, ...included.files].filter((f) => !reviewedPaths.has(f.path)).map((f) => [f.path, f])).values()];
  return {
    files,
    paths: new Set(files.map((f) => f.path)),
    touched: [...unsetVariables, ...lost.touched, ...modules.touched, ...keysReadBy(read.touched, [...changed, ...includes.changed, ...files])],
    deletedAtBase,
    notes: [...modules.notes, ...includes.notes, ...unitModules.notes],
    includedBy: included.includedBy,
    changedIncludes: includes.changed,
    judgedIn: includes.judgedIn,
  };
}

/**
 * The changed configurations Terragrunt units include (`root.hcl`), among the changed files and the other paths the
 * change writes, and the units that include them (src/module-context.ts includingUnits): each is reviewed in those
 * units, as a changed file whose lines decide what they deploy (its inputs merge into theirs). One Warden cannot follow
 * there is not reviewed (fail closed): a `generate` block (files written into the module, which may read the inputs),
 * a `terraform` block (merged into each unit's), a text not read. One no unit includes is not Warden's.
 */
async function changedIncludes(
  changed: readonly ChangedText[],
  reader: RepositoryReader,
  options: { admitted: (path: string) => boolean; notReviewed: NotReviewed } & WrittenPaths,
): Promise<{ changed: ChangedText[]; units: { path: string; headText: string }[]; configsOf: Map<string, string[]>; judgedIn: Map<string, string[]>; notes: Note[] }> {
  const held = new Set(changed.map((f) => f.path));
  const configs = new Set([...held, ...(options.written ?? [])].filter((p) => fileKind(p) === 'terragrunt'));
  if (configs.size === 0) return { changed: [], units: [], configsOf: new Map(), judgedIn: new Map(), notes: [] };
  const atHand = new Map(changed.filter((f) => isTerragruntUnit(f.path)).map((f) => [f.path, f.headText]));
  const found = await includingUnits(configs, reader, options.admitted, atHand);
  for (const { file, reason } of found.notReviewed) options.notReviewed(file, reason);
  const texts = await Promise.all([...found.includedBy.keys()].map((path) => changedText(path, changed, reader, options)));
  const judgedIn = new Map<string, string[]>();
  const reviewed: ChangedText[] = [];
  for (const text of texts) {
    if ('unread' in text) {
      options.notReviewed(text.path, `${text.unread}, and Terragrunt units include it (\`${found.includedBy.get(text.path)![0]}\`): what a change to it deploys is not known`);
      continue;
    }
    const blocks = [...text.headText.matchAll(/^[ \t]*(generate|terraform)\b[^{\n]*\{/gm)];
    if (blocks.length > 0) {
      const [block] = blocks;
      const what = block![1] === 'generate' ? 'a `generate` block, whose files Terragrunt writes into the module each unit runs (they may read its inputs): Warden does not review generated files' : 'a `terraform` block, which Terragrunt merges into each unit\'s, and Warden does not';
      const line = text.headText.slice(0, block!.index).split('\n').length;
      options.notReviewed(text.path, `Terragrunt units include this configuration (\`${found.includedBy.get(text.path)![0]}\`), and it has ${what} (line ${line}): what a change to it deploys is not known`);
      continue;
    }
    judgedIn.set(text.path, found.includedBy.get(text.path)!);
    if (!held.has(text.path)) reviewed.push(text);
  }
  const configsOf = new Map<string, string[]>();
  for (const [config, units] of judgedIn) for (const unit of units) if (!held.has(unit)) configsOf.set(unit, [...(configsOf.get(unit) ?? []), config]);
  return { changed: reviewed, units: found.units.filter((u) => configsOf.has(u.path)), configsOf, judgedIn, notes: found.notes };
}

/**
 * A changed configuration's texts: as the review holds them (a changed file, or one the command line read), or its
 * text at head read from the repository and its base its patch undone (the App lists the patch of every path). No
 * patch: reviewed whole, and without a base every finding is new.
 */
async function changedText(path: string, changed: readonly ChangedText[], reader: RepositoryReader, { changes, writtenPatches }: WrittenPaths): Promise<ChangedText | { path: string; unread: string }> {
  const known = changed.find((f) => f.path === path) ?? changes?.find((f) => f.path === path && typeof f.headText === 'string');
  if (known && typeof known.headText === 'string') return { path, headText: known.headText, baseText: known.baseText ?? null, patch: known.patch ?? null };
  let why = 'it could not be read';
  const text = await reader.read(path).catch(skipUnreadable((error) => void (why = `it was not read (${error.reason})`)));
  const checked = typeof text === 'string' ? checkText(text) : null;
  if (!checked || 'skipped' in checked) return { path, unread: checked && 'skipped' in checked ? `it was not read (${checked.skipped})` : why };
  const patch = writtenPatches?.get(path) ?? null;
  return { path, headText: checked.text, baseText: patch === null ? null : undoPatch(checked.text, patch), patch };
}

/**
 * An included configuration that does not parse gave its units no inputs: theirs are not known. A changed one judged
 * in the units that include it is not reviewed where one of them was not scanned whole, or holds a part Warden does
 * not follow (a remote module, `extra_arguments` that give variables, a `generate` block, an include it cannot merge):
 * what the change deploys there is not known.
 */
export function unreadIncludes(
  context: TerraformContext,
  scanned: readonly { file: string; errors: readonly unknown[]; notReviewed?: string; unseen?: readonly { reason: string; whenEdited?: boolean }[] }[],
  notReviewed: NotReviewed,
): void {
  for (const f of scanned) {
    if (f.errors.length === 0 && f.notReviewed === undefined) continue;
    for (const { unit, line } of context.includedBy.get(f.file) ?? []) notReviewed(unit, `the configuration it includes, \`${f.file}\`, could not be read as HCL, so this unit's inputs merged with it are not known`, line);
  }
  const byFile = new Map(scanned.map((f) => [f.file, f]));
  for (const [config, units] of context.judgedIn) {
    for (const unit of units) {
      const f = byFile.get(unit);
      const why = !f ? 'it was not scanned' : f.errors.length > 0 ? 'it could not be read as HCL' : (f.notReviewed ?? f.unseen?.find((part) => !part.whenEdited)?.reason);
      if (why === undefined) continue;
      notReviewed(config, `the Terragrunt unit \`${unit}\` includes this configuration, and what it deploys with it is not known: ${why}`);
      break;
    }
  }
}
