// The Pod Security Standards rules (Baseline and Restricted), in the order of the standard.
import type { AnyRule } from '../../src/engine/define-rule.js';
import hostProcess from './host-process.js';
import hostNamespaces from './host-namespaces.js';
import privileged from './privileged.js';
import capabilitiesBaseline from './capabilities-baseline.js';
import hostPathVolumes from './host-path-volumes.js';
import hostPorts from './host-ports.js';
import apparmor from './apparmor.js';
import selinux from './selinux.js';
import procMount from './proc-mount.js';
import seccompUnconfined from './seccomp-unconfined.js';
import unsafeSysctls from './unsafe-sysctls.js';
import hostProbes from './host-probes.js';
import restrictedVolumeTypes from './restricted-volume-types.js';
import allowPrivilegeEscalation from './allow-privilege-escalation.js';
import runAsNonRoot from './run-as-non-root.js';
import runAsRootUser from './run-as-root-user.js';
import seccompProfile from './seccomp-profile.js';
import dropAllCapabilities from './drop-all-capabilities.js';

export const PSS_BASELINE_RULES: readonly AnyRule[] = [
  hostProcess, hostNamespaces, privileged, capabilitiesBaseline, hostPathVolumes, hostPorts, apparmor, selinux,
  procMount, seccompUnconfined, unsafeSysctls, hostProbes,
];

export const PSS_RESTRICTED_RULES: readonly AnyRule[] = [
  restrictedVolumeTypes, allowPrivilegeEscalation, runAsNonRoot, runAsRootUser, seccompProfile, dropAllCapabilities,
];

export const PSS_RULES: readonly AnyRule[] = [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES];
