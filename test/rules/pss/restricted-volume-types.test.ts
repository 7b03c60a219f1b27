import rule from '../../../rules/k8s/restricted-volume-types.js';
import { ruleTester } from '../../rule-tester.js';

const nfsDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.5.0
      volumes:
      - name: weights
        nfs:
          server: nfs.models.internal
          path: /exports/llama
      - name: cache
        emptyDir: {}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'every allowed type, and a volume with no source',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  volumes:
  - name: plain
  - name: cfg
    configMap: {name: vllm-config}
  - name: csi
    csi: {driver: s3.csi.aws.com}
  - name: labels
    downwardAPI:
      items:
      - path: labels
        fieldRef: {fieldPath: metadata.labels}
  - name: shm
    emptyDir: {medium: Memory}
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 10Gi}}
  - name: weights-image
    image:
      reference: registry.example.com/llama-weights:3
  - name: weights
    persistentVolumeClaim: {claimName: llama}
  - name: token
    projected:
      sources: []
  - name: hf-token
    secret: {secretName: hf-token}
`,
    },
    { name: 'off at pss_level: baseline', config: { pss_level: 'baseline' }, code: nfsDeployment },
    {
      // hostPath is the high-severity finding of k8s/host-path-volumes: not said twice.
      name: 'hostPath is left to k8s/host-path-volumes',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  volumes:
  - name: cache
    hostPath: {path: /var/cache}
`,
    },
    {
      name: 'Terraform persistent_volume_claim',
      file: 'main.tf',
      code: `resource "kubernetes_pod" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    container {
      name  = "vllm"
      image = "vllm/vllm-openai:v0.5.0"
    }
    volume {
      name = "weights"
      persistent_volume_claim {
        claim_name = "llama"
      }
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'NFS model weights on a Deployment',
      code: nfsDeployment,
      errors: [{ line: 13, endLine: 15, message: 'Volume `weights` uses `nfs`, which Restricted does not allow' }],
      output: null,
    },
    {
      name: 'hostPath too when k8s/host-path-volumes is off',
      config: { rules: { 'k8s/host-path-volumes': 'off' } },
      code: `apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.5.0
  volumes:
  - name: cache
    hostPath: {path: /var/cache}
  - name: repo
    gitRepo:
      repository: https://github.com/example/prompts
`,
      errors: [{ line: 11, message: '`hostPath`' }, { line: 13, message: 'Volume `repo` uses `gitRepo`' }],
      output: null,
    },
    {
      name: 'CronJob with an iSCSI volume',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: export
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: export
            image: example.com/export:1
          volumes:
          - iscsi: {targetPortal: "10.0.0.1:3260", iqn: "iqn.2001-04.com.example:storage", lun: 0}
            name: lun
`,
      errors: [{ line: 15, message: 'Volume `lun` uses `iscsi`' }],
      output: null,
    },
    {
      name: 'KServe predictor with an awsElasticBlockStore volume',
      code: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
    volumes:
    - name: ebs
      awsElasticBlockStore:
        volumeID: vol-0123456789
`,
      errors: [{ line: 12, message: '`awsElasticBlockStore`' }],
      output: null,
    },
    {
      name: 'Terraform kubernetes_deployment_v1 with nfs',
      file: 'main.tf',
      code: `resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name = "vllm"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.5.0"
        }
        volume {
          name = "weights"
          nfs {
            server = "nfs.models.internal"
            path   = "/exports/llama"
          }
        }
      }
    }
  }
}
`,
      errors: [{ line: 15, endLine: 18, message: 'Volume `weights` uses `nfs`' }],
      output: null,
    },
  ],
});
