// Which files hold a kustomization: known by name alone (kustomize reads no other).
import { posix } from 'node:path';

/** The file names kustomize reads a kustomization from. */
export function isKustomizationFile(path: string): boolean {
  const name = posix.basename(path.replace(/\\/g, '/'));
  return name === 'kustomization.yaml' || name === 'kustomization.yml';
}

/** The names Argo CD takes a folder's kustomization by, telling a Kustomize build (before a chart) when a source names no type. */
export const ARGO_KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
