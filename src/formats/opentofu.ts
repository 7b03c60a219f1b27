// OpenTofu reads Terraform's configuration files and its own, `*.tofu` and `*.tofu.json` (./index.ts fileKind), and
// in a folder holding `x.tofu` and `x.tf` (or `x.tofu.json` and `x.tf.json`) it loads the `.tofu` one only; Terraform
// never loads a `.tofu` file (https://opentofu.org/docs/language/files/, "Extension Precedence").

/** OpenTofu's own configuration files: Terraform does not read them. */
export function isTofuFile(path: string): boolean {
  return /\.tofu(\.json)?$/i.test(path);
}

/** Whether OpenTofu leaves out a `.tf` (`.tf.json`) file for its `.tofu` (`.tofu.json`) namesake, as far as `present` (whether a file is there) tells. */
export function isShadowed(path: string, present: (path: string) => boolean): boolean {
  // OpenTofu compares the names as written (a `.TF` file is loaded by neither tool).
  return /\.tf(\.json)?$/.test(path) && present(path.replace(/\.tf(\.json)?$/, '.tofu$1'));
}

/**
 * Whether one of the tools loads both files of a folder, as far as `present` tells: never a
 * `.tofu` file with a `.tf` one that a `.tofu` file shadows (Terraform does not load the first, OpenTofu the second).
 */
export function loadedTogether(a: string, b: string, present: (path: string) => boolean): boolean {
  return !((isTofuFile(a) && isShadowed(b, present)) || (isTofuFile(b) && isShadowed(a, present)));
}
