// Terraform is parsed by WebAssembly (hcl2json's Go runtime, the HCL grammar). V8 runs it as baseline code first
// and recompiles its hot functions optimised in the background: most of a core-second per process, repaid only past
// a few hundred Terraform files (`warden scan`: 100 files ~9% faster without it, 500 ~4% slower). A command that
// parses fewer and exits keeps the baseline code.
import { setFlagsFromString } from 'node:v8';

/** Terraform files from which optimising the WebAssembly pays for itself. */
export const OPTIMISED_WASM_FROM = 300;

/**
 * Tune the process (and its worker threads: V8's flags are per process) for a run that parses about this many
 * Terraform files and ends. Called before the first is parsed; a server, parsing for as long as it runs, never calls it.
 */
export function tuneWasmForShortRun(terraformFiles: number): void {
  if (terraformFiles < OPTIMISED_WASM_FROM) setFlagsFromString('--liftoff-only');
}
