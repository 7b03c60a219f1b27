// What go-yaml v2 reads that YAML 1.1 does not. Kubernetes' clients (kubectl, Helm, Flux: sigs.k8s.io/yaml) read
// manifests and values with it, and it types a plain integer as Go's strconv.ParseInt does with base 0: the `0o`
// and `0O` octal, `0X` hex and `0B` binary prefixes too. YAML 1.1 reads those as text, so `runAsUser: 0o0` (root
// as deployed) read as the string `0o0` passed the rules that look for 0.
import type { ScalarTag } from 'yaml';
import { goYamlScalar } from '../common/flux-variables.js';

export const GO_YAML_INTEGERS: ScalarTag = {
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0(?:[oO][0-7_]+|X[0-9a-fA-F_]+|B[01_]+)$/,
  // Past what JavaScript holds exactly, the text is kept: no rule judges it as a number.
  resolve: (text: string) => {
    const read = goYamlScalar(text);
    return read === null ? text : (read.value as number);
  },
};
