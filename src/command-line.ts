// The `warden` command as bin/warden.js runs it (from the bundle scripts/bundle.ts makes of this module): the command
// line's pool settings, then the command.
import { main } from './cli.js';
import { COMMAND_LINE_POOL, configureSharedPool } from './worker/pool.js';

export async function runCommandLine(argv: string[]): Promise<number> {
  configureSharedPool(COMMAND_LINE_POOL);
  return main(argv);
}
