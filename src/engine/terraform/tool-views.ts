// A module folder as OpenTofu and as Terraform load it, where a `.tofu` file shadows a `.tf` one: the scopes its
// files are evaluated in.
import { isShadowed, isTofuFile } from '../../formats/opentofu.js';
import { moduleOf } from './references.js';

/** The key of a folder's scope as Terraform loads it, where that differs from OpenTofu's (keyed by the folder). */
const TERRAFORM_VIEW = '\0terraform';
export const folderOfView = (view: string) => (view.endsWith(TERRAFORM_VIEW) ? view.slice(0, -TERRAFORM_VIEW.length) : view);

/**
 * A module folder as each tool loads it (src/formats/opentofu.ts): where it holds `x.tofu` and `x.tf`, OpenTofu
 * loads `x.tofu`, Terraform `x.tf` and no `.tofu` file. Warden cannot tell which tool deploys a folder (both write
 * `.terraform.lock.hcl`, both read `terraform` blocks), and a folder holding both is often meant for both, so it
 * judges both files, each in its own tool's scope: a shadowed `x.tf` as Terraform loads the folder, every other file
 * as OpenTofu does (a file both load is judged once, with the values OpenTofu gives it). `of`: the scopes a file's
 * declarations go to; `scopeOf`: the one its resources are evaluated in. A folder without a shadowed file has one
 * scope, keyed by the folder.
 */
export interface ToolViews {
  of: (file: string) => string[];
  scopeOf: (file: string) => string;
}
export function toolViews(paths: readonly string[]): ToolViews {
  const known = new Set(paths);
  const shadowed = (file: string) => isShadowed(file, (path) => known.has(path));
  const split = new Set(paths.filter(shadowed).map((file) => moduleOf({ file })));
  const of = (file: string): string[] => {
    const folder = moduleOf({ file });
    if (!split.has(folder)) return [folder];
    if (shadowed(file)) return [folder + TERRAFORM_VIEW];
    return isTofuFile(file) ? [folder] : [folder, folder + TERRAFORM_VIEW];
  };
  return { of, scopeOf: (file) => of(file)[0]! };
}
