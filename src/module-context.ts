// The Terraform module around a change: the unchanged files of its modules (variables, data blocks, definitions
// files) and the local modules it calls, read from the repository so each changed file is reviewed with what it
// reads; and the variables a change unassigns, whose readers are changed with it.
import { posix } from 'node:path';
import type { Config } from './config.js';
import { skipUnreadable, type RepositoryReader } from './engine/repository.js';
import { localModuleFiles, localSources, MAX_CALLER_CANDIDATES, MODULE_LIMITS, moduleCallers, sourceFolder } from './engine/terraform/module-files.js';
import { readsVarFile } from './engine/terraform/var-files.js';
import { changedModuleKey, lostProtectionKey, variableKey } from './engine/data-reads.js';
import { fileKind } from './formats/index.js';
import { namesAssignedIn } from './formats/hcl-vars.js';
import { isOverrideFile } from './formats/terraform-overrides.js';
import { includeCandidatesOf, isTerragruntUnit, unitIncludes } from './formats/terragrunt.js';
import { checkText } from './formats/text.js';
import type { Note } from './model.js';

/** A changed file as read: its text at head (and base), and its patch (absent: reviewed whole). */
interface ChangedText {
  path: string;
  headText: string;
  baseText?: string | null;
  patch?: string | null;
}

/**
 * What a change unassigns in the definitions files Terraform reads: every variable of one it deletes, and each whose
 * assignment it deletes from one that stays. Such a variable is back to its default (or unknown) wherever its module
 * reads it, so the resources that read it are changed (keys of src/engine/data-reads.ts, handed to the scan as
 * touched). Names are read from the texts (src/formats/hcl-vars.ts namesAssignedIn): never fewer than assigned.
 */
export function unassignedVariables(
  changed: readonly (ChangedText)[],
  removed: readonly { path: string; baseText: string | null }[],
  config: Config,
): { deletedVarFiles: { path: string; baseText: string }[]; unsetVariables: string[] } {
  const readVarFile = (path: string) => fileKind(path) === 'tfvars' && readsVarFile(path, config.terraform.var_files);
  const deletedVarFiles = removed.flatMap((f) => (readVarFile(f.path) && typeof f.baseText === 'string' ? [{ path: f.path, baseText: f.baseText }] : []));
  const unassigned = changed.flatMap((f) => {
    if (!readVarFile(f.path) || typeof f.baseText !== 'string' || typeof f.patch !== 'string') return [];
    const left = new Set(namesAssignedIn(f.path, f.headText));
    return namesAssignedIn(f.path, f.baseText).flatMap((name) => (left.has(name) ? [] : [{ path: f.path, name }]));
  });
  const deleted = deletedVarFiles.flatMap((f) => namesAssignedIn(f.path, f.baseText).map((name) => ({ path: f.path, name })));
  return { deletedVarFiles, unsetVariables: [...deleted, ...unassigned].map(({ path, name }) => variableKey(posix.dirname(path), name)) };
}

/** Terraform resource types that protect another type (cross-resource rules count them), by what they protect. */
const PROTECTIVE_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket_public_access_block: 'aws_s3_bucket',
  aws_s3_bucket_server_side_encryption_configuration: 'aws_s3_bucket',
  aws_s3_account_public_access_block: 'aws_s3_bucket',
  aws_s3_bucket_versioning: 'aws_s3_bucket',
  aws_s3_bucket_logging: 'aws_s3_bucket',
  aws_s3_bucket_policy: 'aws_s3_bucket',
};

/** The protective `resource` blocks a Terraform text declares, as `type.name`. */
function protectiveBlocks(text: string): Set<string> {
  const found = new Set<string>();
  for (const [, type, name] of text.matchAll(/^[ \t]*resource[ \t]+"([\w-]+)"[ \t]+"([\w-]+)"/gm)) if (PROTECTIVE_TYPES[type!]) found.add(`${type}.${name}`);
  return found;
}

/**
 * What a change takes away in Terraform that protected something else: a protective block (a bucket's public access
 * block, its encryption configuration…) deleted with its file or cut from one, in another file than what it
 * protected, leaves that unchanged. Each such module's resources of the protected type are judged again (keys of
 * src/engine/data-reads.ts lostProtectionKey, handed to the scan as touched), its other files read for them, and the
 * deleted files scanned at base for the baseline (so what they protected is not taken as open before). Blocks are
 * read from the texts by their headers: one renamed or moved counts as removed (judged again, found protected).
 */
export function removedProtections(
  changed: readonly ChangedText[],
  removed: readonly { path: string; baseText: string | null }[],
): { touched: string[]; modules: string[]; deletedFiles: { path: string; baseText: string }[] } {
  const touched = new Set<string>();
  const modules = new Set<string>();
  const deletedFiles: { path: string; baseText: string }[] = [];
  const lose = (path: string, before: string, after: string) => {
    const left = protectiveBlocks(after);
    let lost = false;
    for (const block of protectiveBlocks(before)) {
      if (left.has(block)) continue;
      lost = true;
      touched.add(lostProtectionKey(posix.dirname(path), PROTECTIVE_TYPES[block.slice(0, block.indexOf('.'))]!));
    }
    if (lost) modules.add(posix.dirname(path));
    return lost;
  };
  for (const f of changed) if (fileKind(f.path) === 'hcl' && typeof f.baseText === 'string') lose(f.path, f.baseText, f.headText);
  for (const f of removed) if (fileKind(f.path) === 'hcl' && typeof f.baseText === 'string' && lose(f.path, f.baseText, '')) deletedFiles.push({ path: f.path, baseText: f.baseText });
  return { touched: [...touched], modules: [...modules], deletedFiles };
}

/** Other Terraform files of a module read at most, in all: a module is a folder, rarely this large. */
export const MAX_MODULE_SIBLINGS = 100;

/**
 * Whether a changed file needs the rest of its Terraform module: data blocks, variables or locals others read or it
 * reads, a definitions file. A file scanned whole (`warden scan main.tf`, no patch) too: its variables take their
 * values from the module's definitions files.
 */
function needsModule(file: ChangedText): boolean {
  if (file.patch === null) return false;
  const kind = fileKind(file.path);
  // A variable's default or a local changes the module's resources that read it, in whichever file they are.
  if (kind === 'tfjson') return /"(data|variable|locals)"\s*:/.test(file.headText) || /\bvar\.[A-Za-z_]/.test(file.headText);
  return kind === 'tfvars' || (kind === 'hcl' && (/^[ \t]*(data|variable)[ \t]+"/m.test(file.headText) || /^[ \t]*locals[ \t]*\{/m.test(file.headText) || /\bvar\.[A-Za-z_]/.test(file.headText)));
}

/**
 * Whether a changed Terraform file may change what a caller of its module deploys: a caller's input reaches the
 * module's resources only through `var.` (src/formats/hcl-modules.ts localModuleCall).
 */
function takesInputs(file: ChangedText): boolean {
  if (typeof file.patch !== 'string') return false;
  if (fileKind(file.path) === 'tfjson') return /\bvar\.[A-Za-z_]|"variable"\s*:/.test(file.headText);
  return fileKind(file.path) === 'hcl' && /\bvar\.[A-Za-z_]|^[ \t]*variable[ \t]+"/m.test(file.headText);
}

/**
 * The callers of the changed modules, and theirs in turn as far as modules call modules (MODULE_LIMITS.maxDepth): a
 * root that gives a module its value through a module between them deploys what the change makes of it. `modules`:
 * the changed modules and each module between them and a root, whose calls are judged again (changedModuleKey).
 */
async function transitiveCallers(changed: ReadonlySet<string>, candidates: readonly string[], reader: RepositoryReader): Promise<{ files: { path: string; text: string }[]; notes: Note[]; modules: Set<string> }> {
  const files: { path: string; text: string }[] = [];
  const notes: Note[] = [];
  const modules = new Set<string>();
  let frontier = new Set(changed);
  for (let depth = 0; depth < MODULE_LIMITS.maxDepth && frontier.size > 0; depth++) {
    const calling = await moduleCallers(frontier, candidates.filter((p) => !frontier.has(posix.dirname(p))), reader);
    // Each depth looks among the same candidates: what one could not read is said once.
    notes.push(...calling.notes.filter((n) => !notes.some((m) => m.file === n.file && m.message === n.message)));
    if (calling.files.length === 0) break;
    for (const module of frontier) modules.add(module);
    const found = new Set(files.map((f) => f.path));
    files.push(...calling.files.filter((f) => !found.has(f.path)));
    // A caller's folder passes the change on only where it takes inputs of its own.
    frontier = new Set(calling.files.filter((f) => /\bvar\.[A-Za-z_]/.test(f.text)).map((f) => posix.dirname(f.path)).filter((m) => !modules.has(m) && !changed.has(m)));
  }
  return { files, notes, modules };
}

/**
 * The unchanged Terraform files (and variable definitions files) of the modules of changed ones that need them: data
 * blocks that resources elsewhere in the module may read, the variables and values a changed file uses, the resources
 * a changed definitions file gives values to; the local modules changed files call (src/engine/terraform/
 * module-files.ts), so each call is reviewed with its inputs; and the callers of a changed module, with their own
 * modules, whose calls of it are judged again (`touched`, keys of src/engine/data-reads.ts changedModuleKey). From
 * the repository at head.
 */
export async function moduleSiblings(
  files: readonly (ChangedText)[],
  reader: RepositoryReader,
  admitted: (path: string) => boolean,
  /** Modules a deleted definitions file gave values. */
  deletedFrom: readonly string[],
): Promise<{ files: (ChangedText)[]; notes: Note[]; notReviewed: { file: string; reason: string }[]; touched: string[] }> {
  const modules = new Set([...files.filter(needsModule).map((f) => posix.dirname(f.path)), ...deletedFrom]);
  // A file reviewed whole (`warden scan`, no patch) calls modules too: theirs are read where the scan did not take
  // them (`warden scan live/` of a call of `../modules/bucket`), else the call would pass with nothing of them judged.
  const callers = files.filter((f) => f.patch !== null && fileKind(f.path) === 'hcl');
  // Terraform JSON is of the module too: an override there, or a block one merges into.
  const terraformChanges = files.filter((f) => typeof f.patch === 'string' && (fileKind(f.path) === 'hcl' || fileKind(f.path) === 'tfjson'));
  if (modules.size === 0 && terraformChanges.length === 0 && !callers.some((f) => localSources(f.headText).length > 0)) return { files: [], notes: [], notReviewed: [], touched: [] };
  const inChange = new Set(files.map((f) => f.path));
  // A listing or a read that fails stops the review (fail closed): without its module's variables and data
  // blocks, a changed file's values would be unknown, and an unknown value is never judged insecure.
  const paths = await reader.paths();
  // Terraform merges a module's override files into its other files' blocks: a changed one of either needs the rest.
  const overridden = new Set(paths.filter(isOverrideFile).map((p) => posix.dirname(p)));
  const merging = terraformChanges.filter((f) => overridden.has(posix.dirname(f.path)) || isOverrideFile(f.path));
  for (const f of merging) modules.add(posix.dirname(f.path));
  // A changed module changes what its callers deploy with their inputs (a caller's `acl = "public-read"` reaches a
  // bucket once the module reads `var.acl`), though no caller's line changes: its callers are read, with their own
  // modules' files for what their inputs read, and what their calls of it build is judged again.
  const changedModules = new Set(files.filter(takesInputs).map((f) => posix.dirname(f.path)));
  const candidates = paths.filter((p) => fileKind(p) === 'hcl' && admitted(p) && !inChange.has(p) && !changedModules.has(posix.dirname(p)));
  const calling = await transitiveCallers(changedModules, candidates, reader);
  const touched = [...calling.modules].map(changedModuleKey);
  // Terraform JSON too: its variables and locals are the module's, and overrides merge into its blocks.
  const terraform = (p: string) => fileKind(p) === 'hcl' || fileKind(p) === 'tfvars' || fileKind(p) === 'tfjson';
  const others = paths.filter((p) => terraform(p) && modules.has(posix.dirname(p)) && !inChange.has(p) && admitted(p)).sort();
  const siblings = others.slice(0, MAX_MODULE_SIBLINGS);
  // Past the bound, what the rest define (a variable's default, a data block) is unknown to the review: said.
  const cut = others.slice(MAX_MODULE_SIBLINGS);
  const notes: Note[] = cut.length === 0 ? [] : [{ file: cut[0]!, message: `more than ${MAX_MODULE_SIBLINGS} other Terraform files in the modules of the changed files: ${cut.length} not read (from this one on), so what they define (variables, data blocks) is unknown to the review` }];
  // One Warden does not read (too large, binary, a link out of the repository) is said: what it defines is unknown.
  const unread = (path: string, why: string) => notes.push({ file: path, message: `not read (${why}), though a changed file of its Terraform module may use what it defines (variables, data blocks): that is unknown to the review` });
  const readable = await readTexts(siblings, reader, unread);
  const known = [...callers, ...readable.filter((f) => fileKind(f.path) === 'hcl')].map((f) => ({ path: f.path, text: f.headText }));
  const called = await localModuleFiles(known, reader, (p) => fileKind(p) === 'hcl' && admitted(p));
  const modulesRead = called.files.flatMap(({ path, text }) => {
    const checked = checkText(text);
    return 'text' in checked && !inChange.has(path) && !siblings.includes(path) ? [{ path, headText: checked.text }] : [];
  });
  // Where Terraform merges override files, a changed file of either kind needs every other file of the module:
  // the block it overrides, or the override of its block, may be one not read. Not reviewed then (fail closed).
  const readPaths = new Set(readable.map((f) => f.path));
  const missing = (module: string) => others.filter((p) => posix.dirname(p) === module && fileKind(p) !== 'tfvars' && !readPaths.has(p));
  const notReviewed = merging.flatMap((f) => {
    const left = missing(posix.dirname(f.path));
    return left.length === 0 ? [] : [{ file: f.path, reason: `Terraform merges this module's override files into its other files' blocks, and ${left.length} of its other Terraform files (\`${left[0]}\`${left.length > 1 ? ', …' : ''}) ${left.length === 1 ? 'was' : 'were'} not read, so what the merge deploys is not known` }];
  });
  // The callers' folders (their variables, definitions files and locals give the inputs), apart from the bound on
  // the modules' files: a module used across a repository has many callers.
  const callerFolders = new Set(calling.files.map((f) => posix.dirname(f.path)));
  const have = new Set([...inChange, ...others, ...modulesRead.map((f) => f.path)]);
  const callerPaths = paths.filter((p) => terraform(p) && callerFolders.has(posix.dirname(p)) && !have.has(p) && admitted(p)).sort();
  const callerCut = callerPaths.slice(MAX_CALLER_CANDIDATES);
  if (callerCut.length > 0) notes.push({ file: callerCut[0]!, message: `more than ${MAX_CALLER_CANDIDATES} Terraform files in the folders that call a changed module: ${callerCut.length} not read (from this one on), so what they give a caller's inputs is unknown to the review` });
  const callerContext = await readTexts(callerPaths.slice(0, MAX_CALLER_CANDIDATES), reader, (path, why) => notes.push({ file: path, message: `not read (${why}), though it is in a folder that calls a changed module: what it gives the call's inputs is unknown to the review` }));
  return { files: [...readable, ...modulesRead, ...callerContext], notes: [...notes, ...calling.notes, ...called.notes], notReviewed, touched };
}

/**
 * Which of `paths` are files of the repository, whatever their kind: the command line's listing holds only the kinds
 * Warden reviews (no `root.hcl`), so one not listed is read to learn it (the App's listing is whole: no request is
 * made). `reader` answers a later read of such a file with that read.
 */
async function existing(paths: ReadonlySet<string>, listed: ReadonlySet<string>, reader: RepositoryReader): Promise<{ exists: (path: string) => boolean; reader: RepositoryReader }> {
  const reads = new Map([...paths].filter((path) => !listed.has(path)).map((path) => [path, reader.read(path)] as const));
  const found = new Set([...paths].filter((path) => listed.has(path)));
  await Promise.all(
    [...reads].map(async ([path, read]) => {
      // One that cannot be read exists all the same: reading it later says why it was not.
      if ((await read.catch(() => '')) !== null) found.add(path);
    }),
  );
  return { exists: (path) => found.has(path), reader: { ...reader, read: (path) => reads.get(path) ?? reader.read(path) } };
}

/** Files read as context: one Warden does not read (too large, binary, a link out of the repository) is said with why. */
async function readTexts(paths: readonly string[], reader: RepositoryReader, unread: (path: string, why: string) => void): Promise<ChangedText[]> {
  const read = await Promise.all(paths.map(async (path) => ({ path, text: await reader.read(path).catch(skipUnreadable((error) => unread(path, error.reason))) })));
  return read.flatMap(({ path, text }) => {
    const checked = text === null ? null : checkText(text);
    if (checked && 'skipped' in checked) unread(path, checked.skipped);
    return checked && 'text' in checked ? [{ path, headText: checked.text }] : [];
  });
}

/**
 * The Terragrunt configurations the units among `files` include (src/formats/terragrunt.ts), and the definitions
 * files Terraform reads on its own where Terragrunt runs a unit's module (`terraform.tfvars`, `*.auto.tfvars` of the
 * module's folder and the unit's, which win over its inputs): read from the repository, so each unit's inputs are
 * merged with theirs. A definitions file not read leaves the unit's inputs not known (fail closed); so does an include
 * whose file is not found or not read, or one that has a `terraform` block (which Terragrunt merges into the unit's,
 * and Warden does not), from that include's line. `includedBy`: each read file, with the units (and
 * lines) that include it, for saying so of one that then does not parse.
 */
export async function terragruntParents(
  files: readonly { path: string; headText: string }[],
  reader: RepositoryReader,
): Promise<{ files: ChangedText[]; notReviewed: { file: string; reason: string; line: number }[]; includedBy: Map<string, { unit: string; line: number }[]> }> {
  const notReviewed: { file: string; reason: string; line: number }[] = [];
  const includedBy = new Map<string, { unit: string; line: number }[]>();
  const units = files.filter((f) => isTerragruntUnit(f.path));
  if (units.length === 0) return { files: [], notReviewed, includedBy };
  const paths = await reader.paths();
  const listed = new Set(paths);
  // Where Terragrunt runs a unit's module (the module's folder, with the unit's copied in), Terraform reads the
  // definitions files it finds there on its own, and they win over the unit's inputs.
  const workingDirs = new Map(units.map((unit) => [unit.path, [posix.dirname(unit.path), ...localSources(unit.headText).map((source) => sourceFolder(unit.path, source))]]));
  const runsIn = (path: string) => units.filter((unit) => workingDirs.get(unit.path)!.includes(posix.dirname(path)));
  const varFiles = paths.filter((p) => fileKind(p) === 'tfvars' && readsVarFile(p, []) && runsIn(p).length > 0);
  const { exists, reader: readOnce } = await existing(includeCandidatesOf(units), listed, reader);
  for (const unit of units) {
    for (const { target, line, file: parent } of unitIncludes(unit.path, unit.headText, exists)) {
      if (parent === null) notReviewed.push({ file: unit.path, line, reason: `the configuration this include names (${'find' in target ? `\`${target.find}\` in a parent folder` : `\`${target.path}\``}) was not found, so this unit's inputs merged with it are not known` });
      else includedBy.set(parent, [...(includedBy.get(parent) ?? []), { unit: unit.path, line }]);
    }
  }
  const have = new Map(files.map((f) => [f.path, f.headText]));
  const unread = (path: string, why: string) => {
    for (const { unit, line } of includedBy.get(path) ?? []) notReviewed.push({ file: unit, line, reason: `the configuration it includes, \`${path}\`, was not read (${why}), so this unit's inputs merged with it are not known` });
  };
  const read = await readTexts([...includedBy.keys()].filter((p) => !have.has(p)), readOnce, unread);
  for (const f of read) have.set(f.path, f.headText);
  const unreadVarFile = (path: string, why: string) => {
    for (const unit of runsIn(path)) notReviewed.push({ file: unit.path, line: 1, reason: `\`${path}\`, which Terraform reads where Terragrunt runs this unit's module, was not read (${why}), and what it assigns wins over this unit's inputs: they are not known` });
  };
  read.push(...(await readTexts(varFiles.filter((p) => !have.has(p)), reader, unreadVarFile)));
  for (const [path, users] of includedBy) {
    if (!/^[ \t]*terraform[ \t]*\{/m.test(have.get(path) ?? '')) continue;
    for (const { unit, line } of users) notReviewed.push({ file: unit, line, reason: `the configuration it includes, \`${path}\`, has a \`terraform\` block, which Terragrunt merges into this unit's and Warden does not: what the unit deploys is not known` });
  }
  return { files: read, notReviewed, includedBy };
}

/** Terragrunt units a change to a configuration they include is judged in, at most: each is read with its module. */
export const MAX_INCLUDING_UNITS = 100;

/**
 * The Terragrunt units of the repository that include one of the changed configurations `configs` (a `root.hcl`):
 * what such a change deploys is what they deploy with it. Every unit is read for its includes (`atHand`: the texts of
 * those the change holds), from the repository at head. Past MAX_CALLER_CANDIDATES units, which include a
 * configuration is not known; past MAX_INCLUDING_UNITS including one, they are not all judged: that configuration's
 * change is then not reviewed (fail closed). A unit not read is said, as whether it includes one is not learned.
 */
export async function includingUnits(
  configs: ReadonlySet<string>,
  reader: RepositoryReader,
  admitted: (path: string) => boolean,
  atHand: ReadonlyMap<string, string>,
): Promise<{ units: { path: string; headText: string }[]; includedBy: Map<string, string[]>; notReviewed: { file: string; reason: string }[]; notes: Note[] }> {
  const notes: Note[] = [];
  const includedBy = new Map<string, string[]>();
  const paths = await reader.paths();
  const listed = new Set(paths);
  const candidates = paths.filter((p) => isTerragruntUnit(p) && admitted(p)).sort();
  if (candidates.length > MAX_CALLER_CANDIDATES) {
    const reason = `the repository has more than ${MAX_CALLER_CANDIDATES} Terragrunt units (${candidates.length}), and Warden reads at most that many for their includes: which include this configuration, and what a change to it deploys there, is not known`;
    return { units: [], includedBy, notReviewed: [...configs].map((file) => ({ file, reason })), notes };
  }
  const read = await readTexts(candidates.filter((p) => !atHand.has(p)), reader, (path, why) => notes.push({ file: path, message: `not read (${why}): whether this Terragrunt unit includes a changed configuration was not learned` }));
  const units = [...[...atHand].map(([path, headText]) => ({ path, headText })).filter((u) => isTerragruntUnit(u.path)), ...read];
  const including: { path: string; headText: string }[] = [];
  const { exists } = await existing(includeCandidatesOf(units), listed, reader);
  for (const unit of units) {
    const included = unitIncludes(unit.path, unit.headText, exists).flatMap(({ file }) => (file !== null && configs.has(file) ? [file] : []));
    for (const config of new Set(included)) includedBy.set(config, [...(includedBy.get(config) ?? []), unit.path]);
    if (included.length > 0) including.push(unit);
  }
  const notReviewed: { file: string; reason: string }[] = [];
  for (const [config, by] of includedBy) {
    if (by.length <= MAX_INCLUDING_UNITS) continue;
    notReviewed.push({ file: config, reason: `${by.length} Terragrunt units include this configuration, and Warden judges a change to one in at most ${MAX_INCLUDING_UNITS} of them: what it deploys in the rest is not known` });
    includedBy.delete(config);
  }
  const judged = new Set([...includedBy.values()].flat());
  return { units: including.filter((u) => judged.has(u.path)), includedBy, notReviewed, notes };
}
