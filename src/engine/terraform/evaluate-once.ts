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
): string[] {
  const { config } = options;
  const touchedVars = touchedVariables(changedVarFiles(parsed, changedOf, options.declarations ?? []), (file) => readsVarFile(file, config.terraform.var_files));
  // And a resource that reads a variable whose `default` block, or a local whose expression, the change touched.
  const touched = [...(options.touchedData ?? []), ...touchedVars, ...touchedDeclarations(parsed, changedOf)];
  const fresh = parsed.filter((file) => !terraformEvaluated.has(file));
  // What reads those through a data block or a local, as written: read before evaluation replaces the names.
  if (touched.length > 0) touched.push(...readersOfTouched([...touched, ...touchedDataBlocks(parsed, changedOf)], writtenDeclarations(fresh, changedOf, options.declarations ?? [])));
  const recording = modulesWithTouchedVariables(touched);
  if (fresh.some((file) => file.format === 'hcl' || file.format === 'tfjson')) evaluateTerraform(fresh, options.declarations, config.terraform.var_files, (module) => recording.has(module), changedOf, fileReader(options.terraformFiles));
  for (const file of fresh) terraformEvaluated.add(file);
  return touched;
}

/** The job's declarations, with those of the files not yet evaluated read from them (theirs first). */
function writtenDeclarations(fresh: readonly ParsedFile[], changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>, others: readonly FileDeclarations[]): FileDeclarations[] {
  const own = fresh.flatMap((file) => fileDeclarations(file, changedOf.get(file.file)) ?? []);
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

/** What `file()` reads: the texts read before the scan, by repository path (none: unknown). */
function fileReader(texts: Readonly<Record<string, string>> | undefined): ((path: string) => string | undefined) | undefined {
  return texts && Object.keys(texts).length > 0 ? (path) => (Object.hasOwn(texts, path) ? texts[path] : undefined) : undefined;
}
