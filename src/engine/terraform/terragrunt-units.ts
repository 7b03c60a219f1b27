// Terragrunt units: a unit's inputs as Terragrunt merges them (its includes', its own, and the definitions files
// Terraform reads where Terragrunt runs the module), and the lines a change touched in Terragrunt configurations.
import { posix } from 'node:path';
import type { ParsedFile } from '../../model.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { varFileOf, type VarFile } from '../../formats/hcl-vars.js';
import { includedFile, type TerragruntInputs, type TerragruntUnit } from '../../formats/terragrunt.js';
import { setOwn } from '../../common/own-key.js';
import { moduleOf } from './references.js';
import { calledFolder, type FileDeclarations } from './file-declarations.js';
import { orderedVarFiles } from './var-files.js';

/**
 * A Terragrunt unit's inputs merged as Terragrunt merges an include (shallowly): those of each configuration it
 * includes, then its own, which win. An included file is looked for among the Terragrunt configurations at hand (the
 * review reads the one each include names: src/module-context.ts terragruntParents, which fails closed on one it could
 * not read); its inputs are located there. `included`: the configurations found.
 */
export function mergedUnitInputs(unitFile: string, unit: TerragruntUnit, files: readonly ParsedFile[], others: readonly FileDeclarations[]): { inputs: Record<string, unknown>; included: TerragruntInputs[] } {
  const configs = new Map<string, TerragruntInputs>();
  for (const f of files) {
    const config = terraformDeclarations(f).terragrunt?.inputs;
    if (config) configs.set(f.file, config);
  }
  for (const d of others) if (d.terragrunt && !configs.has(d.file)) configs.set(d.file, d.terragrunt);
  const inputs: Record<string, unknown> = {};
  const from = new Map<string, TerragruntInputs>();
  const included: TerragruntInputs[] = [];
  for (const include of unit.includes) {
    const path = includedFile(unitFile, include.target, (p) => configs.has(p));
    const parent = path === null ? undefined : configs.get(path);
    if (parent) included.push(parent);
    for (const [name, value] of Object.entries(parent?.inputs ?? {})) {
      setOwn(inputs, name, value);
      from.set(name, parent!);
    }
  }
  for (const [name, value] of Object.entries(unit.own.inputs)) {
    setOwn(inputs, name, value);
    from.delete(name);
  }
  // The inputs reach Terraform as `TF_VAR_` variables, which rank below the definitions files it reads itself.
  const fromVarFile = new Map<string, VarFile>();
  for (const varFile of workingDirVarFiles(unitFile, unit, files, others)) {
    for (const [name, value] of Object.entries(varFile.values)) {
      // `null` there: the variable's default, or null, as it is declared: unknown to Warden.
      setOwn(inputs, name, value === null ? `\${var.${name}}` : value);
      fromVarFile.set(name, varFile);
    }
  }
  unit.site.inputOrigin = (name) => {
    const varFile = fromVarFile.get(name);
    if (varFile) return varFile.lines[name] ? { file: varFile.file, range: varFile.lines[name], text: varFile.text } : undefined;
    const parent = from.get(name);
    const range = parent?.lines[name];
    return parent && range ? { file: parent.file, range, text: parent.text } : undefined;
  };
  return { inputs, included };
}

/**
 * The definitions files Terraform reads on its own where Terragrunt runs a unit's module, first to last: Terragrunt
 * runs it in a copy of the module's folder (a local source's) into which it copies the unit's folder too (a file of
 * the same name there replaces the module's), and Terraform reads `terraform.tfvars`, `terraform.tfvars.json` and
 * `*.auto.tfvars(.json)` there. Those of the review (src/module-context.ts terragruntParents reads them).
 */
function workingDirVarFiles(unitFile: string, unit: TerragruntUnit, files: readonly ParsedFile[], others: readonly FileDeclarations[]): VarFile[] {
  const folders = [...(unit.call ? [calledFolder(unitFile, unit.call.source)] : []), moduleOf({ file: unitFile })];
  const byName = new Map<string, VarFile>();
  const known = [...files.flatMap((f) => varFileOf(f) ?? []), ...others.flatMap((d) => d.varFile ?? [])];
  for (const folder of folders) {
    for (const varFile of known) if (moduleOf(varFile) === folder) byName.set(posix.basename(varFile.file), varFile);
  }
  return orderedVarFiles([...byName.values()], []);
}

/** The lines the change touched in the Terragrunt configurations other threads parsed (units include them), for telling changed resources. */
export function terragruntChanges(declarations: readonly FileDeclarations[]): [string, ReadonlySet<number> | null][] {
  return declarations.flatMap((d) => (d.terragrunt ? [[d.file, d.terragrunt.changed ? new Set(d.terragrunt.changed) : null] as [string, ReadonlySet<number> | null]] : []));
}
