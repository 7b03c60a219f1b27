import rule from '../../../rules/k8s/unsafe-sysctls.js';
import { ruleTester } from '../../rule-tester.js';
import { replaced } from './helpers.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        sysctls:
        - name: net.core.somaxconn   # burst traffic
          value: "4096"
        - name: net.ipv4.tcp_keepalive_time
          value: "60"
        - name: kernel.shmmax
          value: "68719476736"
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
`;

const terraform = `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {}
      spec {
        security_context {
          sysctl {
            name  = "vm.max_map_count"
            value = "262144"
          }
          sysctl {
            name  = "net.ipv4.tcp_fin_timeout"
            value = "30"
          }
        }
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.5.0"
        }
      }
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'the safe set, up to the v1.37 additions',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  securityContext:
    sysctls:
    - {name: kernel.shm_rmid_forced, value: "1"}
    - {name: net.ipv4.ip_local_port_range, value: "1024 65000"}
    - {name: net.ipv4.ip_local_reserved_ports, value: "8000-8002"}
    - {name: net.ipv4.tcp_syncookies, value: "1"}
    - {name: net.ipv4.ping_group_range, value: "0 2147483647"}
    - {name: net.ipv4.ip_unprivileged_port_start, value: "80"}
    - {name: net.ipv4.tcp_keepalive_time, value: "60"}
    - {name: net.ipv4.tcp_keepalive_intvl, value: "10"}
    - {name: net.ipv4.tcp_keepalive_probes, value: "3"}
    - {name: net.ipv4.tcp_fin_timeout, value: "15"}
    - {name: net.ipv4.tcp_rmem, value: "4096 87380 6291456"}
    - {name: net.ipv4.tcp_wmem, value: "4096 16384 4194304"}
    - {name: net.ipv4.tcp_slow_start_after_idle, value: "0"}
    - {name: net.ipv4.tcp_notsent_lowat, value: "16384"}
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
`,
    },
    { name: 'Terraform safe sysctl', file: 'main.tf', code: replaced(terraform, ['"vm.max_map_count"', '"net.ipv4.tcp_rmem"']) },
  ],
  invalid: [
    {
      name: 'Deployment: two unsafe among a safe one',
      code: deployment,
      errors: [{ line: 10, endLine: 16, message: 'The pod of Deployment `vllm` sets `net.core.somaxconn`, `kernel.shmmax`' }],
      output: replaced(
        deployment,
        ['        - name: net.core.somaxconn   # burst traffic\n          value: "4096"\n', ''],
        ['        - name: kernel.shmmax\n          value: "68719476736"\n', ''],
      ),
    },
    {
      name: 'CronJob: the only sysctl (the emptied list goes)',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: bench
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          securityContext:
            fsGroup: 1000
            sysctls:
            - name: net.core.rmem_max
              value: "16777216"
          containers:
          - name: bench
            image: example.com/bench:1
`,
      errors: [{ line: 14, message: '`net.core.rmem_max`' }],
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: bench
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          securityContext:
            fsGroup: 1000
          containers:
          - name: bench
            image: example.com/bench:1
`,
    },
    {
      name: 'KServe predictor',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    securityContext:
      sysctls: [{name: kernel.msgmax, value: "65536"}, {name: net.ipv4.tcp_syncookies, value: "1"}]
    model:
      modelFormat:
        name: huggingface
`,
      errors: [{ line: 8, message: 'InferenceService `llama` sets `kernel.msgmax`' }],
      output: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    securityContext:
      sysctls: [{name: net.ipv4.tcp_syncookies, value: "1"}]
    model:
      modelFormat:
        name: huggingface
`,
    },
    {
      name: 'Terraform kubernetes_deployment_v1',
      file: 'main.tf',
      code: terraform,
      errors: [{ line: 10, message: '`vm.max_map_count`' }],
      // The repeated `sysctl` block goes; the one kept stays as written.
      output: terraform.replace('          sysctl {\n            name  = "vm.max_map_count"\n            value = "262144"\n          }\n', ''),
    },
  ],
});
