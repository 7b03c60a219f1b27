#!/usr/bin/env node
// The `warden` command: the compiled CLI, bundled into one file (npm ci builds it through `prepare`).
import { runCommandLine } from '../dist/bundle/warden.js';

process.exitCode = await runCommandLine(process.argv.slice(2));
