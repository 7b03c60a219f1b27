// The Kubernetes Pod Security Admission fixtures (../shared/corpus/pss): per level, every `fail` pod must be
// flagged by a Pod Security Standards rule that runs at that level, and every `pass` pod must stay clean.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { PSS_RULES } from '../../rules/k8s/pss.js';

const LEVELS = ['baseline', 'restricted'] as const;

/**
 * PSA check id (the fixture's file name without its number) → the Warden rules that implement that control.
 * Where Restricted overrides a Baseline check, or Warden reports one value under one rule only (hostPath,
 * `Unconfined`, capabilities outside the Baseline set), either rule counts.
 */
const CONTROLS: Record<string, readonly string[]> = {
  windowshostprocess: ['k8s/host-process'],
  hostnamespaces: ['k8s/host-namespaces'],
  privileged: ['k8s/privileged'],
  capabilities_baseline: ['k8s/capabilities-baseline'],
  hostpathvolumes: ['k8s/host-path-volumes'],
  hostports: ['k8s/host-ports'],
  apparmorprofile: ['k8s/apparmor'],
  selinuxoptions: ['k8s/selinux'],
  procmount: ['k8s/proc-mount'],
  procmount_restricted: ['k8s/proc-mount'],
  seccompprofile_baseline: ['k8s/seccomp-unconfined'],
  sysctls: ['k8s/unsafe-sysctls'],
  hostprobesandhostlifecycle: ['k8s/host-probes'],
  restrictedvolumes: ['k8s/restricted-volume-types', 'k8s/host-path-volumes'],
  allowprivilegeescalation: ['k8s/allow-privilege-escalation'],
  runasnonroot: ['k8s/run-as-non-root'],
  runasuser: ['k8s/run-as-root-user'],
  seccompprofile_restricted: ['k8s/seccomp-profile', 'k8s/seccomp-unconfined'],
  capabilities_restricted: ['k8s/drop-all-capabilities', 'k8s/capabilities-baseline'],
};

function controlOf(file: string): string {
  return file.replace(/\d*\.yaml$/, '');
}

/** The newest version folder (`v1.37`) of a level. */
function newestVersion(dir: string): string | null {
  const versions = readdirSync(dir).filter((v) => /^v\d+\.\d+$/.test(v));
  versions.sort((a, b) => {
    const [am, an] = a.slice(1).split('.').map(Number) as [number, number];
    const [bm, bn] = b.slice(1).split('.').map(Number) as [number, number];
    return am - bm || an - bn;
  });
  return versions.at(-1) ?? null;
}

export async function corpusPss(root: string): Promise<boolean> {
  const base = join(root, 'pss');
  if (!existsSync(base)) {
    console.error(`pss: corpus folder not found: ${base}`);
    return false;
  }
  let ok = true;
  console.log('pss: Pod Security Admission fixtures');
  for (const level of LEVELS) {
    const version = newestVersion(join(base, level));
    if (!version) {
      console.error(`pss ${level}: no version folder`);
      ok = false;
      continue;
    }
    const config = resolveConfig({ pss_level: level });
    const misses: string[] = [];
    const counts = { fail: { total: 0, right: 0 }, pass: { total: 0, right: 0 } };
    let unmapped = 0;
    for (const expect of ['fail', 'pass'] as const) {
      const dir = join(base, level, version, expect);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
      for (const name of files) {
        const path = join(dir, name);
        const result = await scanFiles([{ path, text: readFileSync(path, 'utf8') }], { config, rules: PSS_RULES, renderFixes: false });
        const errors = result.findings.filter((f) => f.ruleId === 'warden/parse-error');
        const findings = result.findings.filter((f) => f.ruleId !== 'warden/parse-error' && !f.suppressed);
        counts[expect].total++;
        // A fail pod counts when a rule of its control flags it (any PSS rule for a control Warden does not know).
        const control = CONTROLS[controlOf(name)];
        if (expect === 'fail' && !control) unmapped++;
        const flagged = findings.filter((f) => !control || control.includes(f.ruleId));
        const right = errors.length === 0 && (expect === 'fail' ? flagged.length > 0 : findings.length === 0);
        if (right) counts[expect].right++;
        else {
          const found = findings.map((f) => `${f.ruleId} (line ${f.line})`).join(', ') || 'nothing';
          const detail =
            errors.length > 0 ? 'does not parse' : expect === 'fail' ? `not flagged by ${control?.join(' or ') ?? 'any rule'} (found: ${found})` : `flagged: ${found}`;
          misses.push(`  ${relative(root, path)}: ${detail}`);
        }
      }
    }
    console.log(
      `  ${level.padEnd(10)} ${version}  fail flagged ${counts.fail.right}/${counts.fail.total}   pass clean ${counts.pass.right}/${counts.pass.total}` +
        (unmapped > 0 ? `   (${unmapped} fail pods of controls Warden does not map: any rule counted)` : ''),
    );
    if (misses.length > 0) {
      ok = false;
      console.log(misses.join('\n'));
    }
  }
  return ok;
}
