// The Kubernetes rules beyond the Pod Security Standards: hardening, namespaces, network, RBAC, exposure.
import type { AnyRule } from '../../src/engine/define-rule.js';

export const K8S_RULES: readonly AnyRule[] = [];
