#!/usr/bin/env node
// The `warden` command: the compiled CLI (npm ci builds it through `prepare`).
import { COMMAND_LINE_POOL, configureSharedPool } from '../dist/src/worker/pool.js';
import { main } from '../dist/src/cli.js';

configureSharedPool(COMMAND_LINE_POOL);
process.exitCode = await main(process.argv.slice(2));
