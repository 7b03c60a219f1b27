// Files a Terraform file deploys without holding them: what a kubernetes_manifest's `manifest` or a kubectl_manifest's
// `yaml_body` reads with `file(…)` or `templatefile(…)` (Kubernetes YAML), and what a helm_release's `values` reads
// (the values a chart is installed with). A change to such a file alone changes what is deployed while no line of
// Terraform changes (src/unread-deployed.ts).
import { posix } from 'node:path';
import { follow, initHcl, labelsOf, nameOf, syntaxTree } from './hcl-tree.js';

/** The resources that deploy a file's content, by type, and the attribute that holds it (a release's values). */
const READERS: Record<string, string> = { kubernetes_manifest: 'manifest', kubectl_manifest: 'yaml_body', helm_release: 'values' };

/** A literal path as the first argument of `file(…)` or `templatefile(…)`. */
const FILE_CALL = /\b(?:file|templatefile)\(\s*"((?:[^"\\]|\\.)*)"/g;

/** Whether a Terraform text may deploy a file this way: read (and parsed) only then. */
export function mayDeployFiles(text: string): boolean {
  return Object.keys(READERS).some((type) => text.includes(type));
}

/**
 * The repository paths the manifests and releases of a Terraform file read (`tf`: its path), each with the resource
 * that reads it and the first line of its block. A path relative to `path.module`, `path.root` or `path.cwd` is taken
 * from the file's folder (Terraform runs there for a root module); one built from anything else (a variable) cannot
 * be told and is left out.
 */
export async function manifestFileReads(tf: string, text: string): Promise<{ resource: string; path: string; line: number }[]> {
  await initHcl();
  const module = posix.dirname(tf);
  return syntaxTree(
    text,
    (root) => {
      const found: { resource: string; path: string; line: number }[] = [];
      const body = root.namedChildren.find((c) => c?.type === 'body');
      for (const block of body?.namedChildren ?? []) {
        if (block?.type !== 'block' || nameOf(block) !== 'resource') continue;
        const [type, name] = labelsOf(block);
        const attribute = type ? READERS[type] : undefined;
        if (!attribute) continue;
        const value = follow(block, [{ attr: attribute }]);
        if (value.depth !== 1) continue;
        for (const [, written] of value.node.text.matchAll(FILE_CALL)) {
          const relative = written!.replace(/^\$\{path\.(module|root|cwd)\}\//, '');
          if (relative.includes('${')) continue;
          found.push({ resource: `${type}.${name}`, path: posix.normalize(posix.join(module, relative)), line: block.startPosition.row + 1 });
        }
      }
      return found;
    },
    { cache: false },
  );
}
