// Which files hold a kustomization: known by name alone (kustomize reads no other).
import { posix } from 'node:path';

/**
 * The file names kustomize reads a folder's kustomization from, in the order it tries them (konfig.
 * RecognizedKustomizationFileNames; Argo CD takes a folder's kustomization by the same). The one definition every
 * part of Warden recognises them by.
 */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a path is a kustomization file (by its exact name: kustomize reads `Kustomization`, not `kustomization`). */
export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(posix.basename(path.replace(/\\/g, '/')));
}

/**
 * The folders among `paths` holding more than one kustomization file: kustomize refuses to build one ("Found
 * multiple kustomization files"), so which of them it would read is not known, and Warden does not guess.
 */
export function foldersWithSeveralKustomizations(paths: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const several = new Set<string>();
  for (const path of paths) {
    if (!isKustomizationFile(path)) continue;
    const dir = posix.dirname(path.replace(/\\/g, '/'));
    if (seen.has(dir)) several.add(dir);
    seen.add(dir);
  }
  return several;
}
