// `npm run build` ends here: the command line and its scan worker, each bundled into one file (dist/bundle/), so that
// `warden` starts in ~0.1 s instead of resolving and compiling ~250 modules in every thread (~0.15 s each; a one-file
// scan took twice as long). Bundled from tsc's output, so what runs is what was type-checked. The server keeps the
// module files: it starts once. Packages that load their WebAssembly from beside their own files stay outside.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: { warden: join(dist, 'src/command-line.js'), 'scan-worker': join(dist, 'src/worker/scan-worker.js') },
  outdir: join(dist, 'bundle'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Packages published as CommonJS call require(): given one in the ES module bundle.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  // The ES module build of a package when it has one (jsonc-parser's UMD build requires its own files by path).
  mainFields: ['module', 'main'],
  external: ['@cdktf/hcl2json', 'web-tree-sitter', '@tree-sitter-grammars/*'],
  logLevel: 'warning',
});
