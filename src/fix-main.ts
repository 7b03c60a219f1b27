// `warden fix <paths…>` on the command line: the files as `warden scan` collects them, fixed by src/fix-command.ts.
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { collect, loadConfig, repositoryRoot } from './cli.js';
import { exitCode, fixSummary, fixTexts, unifiedDiff, writeChanges } from './fix-command.js';
import { decodeText } from './formats/text.js';
import { localRepositoryReader } from './repository/local.js';
import { pathFilter } from './review.js';

export interface FixCommandOptions {
  config?: string;
  unsafe?: boolean;
  dryRun?: boolean;
}

export async function fixCommand(paths: string[], options: FixCommandOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const texts = new Map<string, string>();
  for (const file of await collect(paths, pathFilter(config))) {
    const decoded = decodeText(await readFile(file));
    // A file Warden cannot read as text is never touched.
    if ('text' in decoded) texts.set(file, decoded.text);
  }
  const root = await repositoryRoot(paths);
  const pathsFrom = process.cwd();
  const run = await fixTexts(texts, { config, unsafe: options.unsafe === true, root, pathsFrom, reader: localRepositoryReader(root, config) });
  if (options.dryRun) {
    process.stdout.write(unifiedDiff(run, (file) => relative(resolve(root), resolve(pathsFrom, file)).split(sep).join('/')));
    process.stderr.write(fixSummary(run, options.unsafe === true, true));
  } else {
    await writeChanges(run, pathsFrom);
    process.stdout.write(fixSummary(run, options.unsafe === true, false));
  }
  return exitCode(run, config);
}
