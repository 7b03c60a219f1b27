#!/usr/bin/env node
// The `warden` command: the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
