// Terraform evaluated once per parse, before the rules run (./evaluate.ts), with what the change touched recorded
// first: a resource that reads a variable, local, data block or file the change touched is changed too.
import type { ParsedFile } from '../../model.js';
import type { ScanOptions } from '../run.js';
import { modulesWithTouchedVariables, readersOfTouched, touchedDataBlocks, touchedVariables } from '../data-reads.js';
import { evaluateTerraform } from './evaluate.js';
import { fileDeclarations, type FileDeclarations } from './file-declarations.js';
import { changedVarFiles, readsVarFile, varFileChanges } from './var-files.js';
import { terragruntChanges } from './terragrunt-units.js';
import { touchedDeclarations } from './declaration-lines.js';
import { overrideChanges } from './overrides.js';
import { memoByIdentity } from '../../common/memo.js';

/** Parsed files whose Terraform was evaluated already (a worker evaluates a file's lookups before its rules run). */
const terraformEvaluated = new WeakSet<ParsedFile>();

/**
 * Terraform variables (defaults) and locals of the files given, resolved into resource bodies before the rules run,
 * once per parse: evaluation replaces names by values in place, so a second pass would find nothing to record.
 * (Only Terraform files are evaluated, each against every declaration of the scan: a YAML file skips that work.)
 * A resource that reads a variable whose assignment the change touched (or deleted) is changed: evaluation
 * records, in those modules, what each resource reads before it replaces the names by their values.
 * Returns the keys of the data blocks and variables the change touched elsewhere (src/engine/data-reads.ts).
 */
export function evaluateTerraformOnce(
  parsed: readonly ParsedFile[],
  changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>,
  options: Pick<ScanOptions, 'config' | 'touchedData' | 'declarations' | 'terraformFiles'>,
): ReadonlySet<string> {
  const { config } = options;
  const declarations = options.declarations ?? NO_DECLARATIONS;
  const reads = (file: string) => readsVarFile(file, config.terraform.var_files);
  const fresh = parsed.filter((file) => !terraformEvaluated.has(file));
  // What the files given touch themselves: a definitions file's assignments, a variable's `default` block or a
  // local's expression, a data block.
  const own = [...touchedVariables(changedVarFiles(parsed, changedOf, []), reads), ...touchedDeclarations(parsed, changedOf), ...touchedDataBlocks(parsed, changedOf)];
  const job = jobTouched(options.touchedData ?? NO_KEYS, declarations, config.terraform.var_files);
  const ownDeclarations = fresh.flatMap((file) => fileDeclarations(file, changedOf.get(file.file)) ?? []);
  // A worker evaluates each file of a job in its own call: when the job knew all the file touches and declares (its
  // first round told it), what the job touched is the answer, found once for all of its files.
  const known = own.every((key) => job.touched.has(key)) && ownDeclarations.every((d) => job.files.has(d.file));
  const { touched, recording } = known ? job : closedOver([...job.given, ...own], withOwn(ownDeclarations, declarations));
  if (fresh.some((file) => file.format === 'hcl' || file.format === 'tfjson')) evaluateTerraform(fresh, options.declarations, config.terraform.var_files, (module) => recording.has(module), changedOf, fileReader(options.terraformFiles));
  for (const file of fresh) terraformEvaluated.add(file);
  return touched;
}

/** Touched keys with what reads them through a data block or a local (as written), and the modules that must record reads. */
interface Touched {
  touched: ReadonlySet<string>;
  recording: ReadonlySet<string>;
}

function closedOver(given: readonly string[], declarations: readonly FileDeclarations[]): Touched {
  const touched = new Set(given);
  if (touched.size > 0) for (const key of readersOfTouched(given, declarations)) touched.add(key);
  return { touched, recording: modulesWithTouchedVariables(touched) };
}

/**
 * What a job's change touched: the keys handed to it (its files' own among them), the assignments its definitions
 * files' changes touched, and what reads those in its declarations. Found once per job (and its config).
 */
const jobTouched = memoByIdentity((touchedData: readonly string[], declarations: readonly FileDeclarations[], varFiles: readonly string[]): Touched & { given: readonly string[]; files: ReadonlySet<string> } => {
  const given = [...touchedData, ...touchedVariables(changedVarFiles([], new Map(), declarations), (file) => readsVarFile(file, varFiles))];
  return { ...closedOver(given, declarations), given, files: new Set(declarations.map((d) => d.file)) };
});
const NO_KEYS: readonly string[] = [];
const NO_DECLARATIONS: readonly FileDeclarations[] = [];

/** The job's declarations, with those of the files not yet evaluated read from them (theirs first). */
function withOwn(own: readonly FileDeclarations[], others: readonly FileDeclarations[]): FileDeclarations[] {
  const ownFiles = new Set(own.map((d) => d.file));
  return [...own, ...others.filter((d) => !ownFiles.has(d.file))];
}

/**
 * The lines the change touched in the definitions files, Terragrunt configurations and override files other threads
 * parsed (their declarations): the same for every file of a job, so found once per job.
 */
export function changesElsewhere(declarations: readonly FileDeclarations[]): readonly [string, ReadonlySet<number> | null][] {
  let found = elsewhereChanges.get(declarations);
  if (!found) elsewhereChanges.set(declarations, (found = [...varFileChanges(declarations), ...terragruntChanges(declarations), ...overrideChanges(declarations)]));
  return found;
}
const elsewhereChanges = new WeakMap<readonly FileDeclarations[], readonly [string, ReadonlySet<number> | null][]>();

/**
 * What `file()` reads: the texts read before the scan, by repository path (none: unknown). One reader per texts, so
 * that a job's files share the scopes built with it (./evaluate.ts jobScope).
 */
function fileReader(texts: Readonly<Record<string, string>> | undefined): ((path: string) => string | undefined) | undefined {
  return texts && Object.keys(texts).length > 0 ? readerOf(texts) : undefined;
}
const readerOf = memoByIdentity((texts: Readonly<Record<string, string>>) => (path: string) => (Object.hasOwn(texts, path) ? texts[path] : undefined));
