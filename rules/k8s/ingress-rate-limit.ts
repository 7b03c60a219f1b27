import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';

/** Annotations by which each common controller limits request rates (or attaches a policy that does). */
const RATE_LIMIT_ANNOTATION = [
  /^nginx\.ingress\.kubernetes\.io\/limit-(rps|rpm|connections|burst-multiplier)$/, // ingress-nginx
  /^nginx\.org\/(rate-limit|limit-req-rate)$/, // NGINX Inc. controller
  /^traefik\.ingress\.kubernetes\.io\/router\.middlewares$/, // a Traefik RateLimit middleware
  /^konghq\.com\/plugins$/, // Kong rate-limiting plugin
  /^haproxy\.org\/rate-limit-requests$/,
  /^haproxy-ingress\.github\.io\/(limit-rps|limit-connections)$/,
  /^alb\.ingress\.kubernetes\.io\/(wafv2-acl-arn|waf-acl-id)$/, // AWS WAF rate-based rules
  /^cloud\.google\.com\/backend-config$/, // GKE BackendConfig with a Cloud Armor policy
  /^zalando\.org\/skipper-filter$/,
  /^ingress\.kubernetes\.io\/rate-limit$/,
  /^projectcontour\.io\/rate-limit/,
  /^getambassador\.io\/rate-limit/,
  /rate-?limit/i,
];

/** Words that mark an Ingress as the front of a model endpoint: its names, hosts, paths and backends. */
const MODEL_ENDPOINT = /(model|predict|infer|serving|kserve|seldon|triton|torchserve|vllm|tgi|llm|generate|completion|embedding|v[12]\/models)/i;

/** The strings that say what an Ingress fronts. */
function endpointText(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const push = (v: unknown) => typeof v === 'string' && out.push(v);
  push(getIn(body, ['metadata', 'name']));
  const backend = (b: unknown) => {
    if (!isRecord(b)) return;
    push(getIn(b, ['service', 'name']));
    push(b.serviceName);
  };
  backend(getIn(body, ['spec', 'defaultBackend']));
  backend(getIn(body, ['spec', 'backend']));
  const rules = getIn(body, ['spec', 'rules']);
  for (const rule of Array.isArray(rules) ? rules : []) {
    if (!isRecord(rule)) continue;
    push(rule.host);
    const paths = getIn(rule, ['http', 'paths']);
    for (const path of Array.isArray(paths) ? paths : []) {
      if (!isRecord(path)) continue;
      push(path.path);
      backend(path.backend);
    }
  }
  return out;
}

export default defineRule({
  id: 'k8s/ingress-rate-limit',
  severity: 'low',
  title: 'Model endpoint Ingress without rate limiting',
  fixable: false,
  scope: 'resource',
  kinds: ['Ingress'],
  docs: {
    why:
      'Inference is expensive: an endpoint without a rate limit lets one client exhaust the GPUs (a denial of ' +
      'service for everyone else and a large bill), and makes model extraction by mass querying cheap.',
    fix:
      'Add the rate-limit annotation of your controller, e.g. ingress-nginx `nginx.ingress.kubernetes.io/limit-rps: ' +
      '"10"`, a Traefik `RateLimit` middleware via `traefik.ingress.kubernetes.io/router.middlewares`, a Kong ' +
      '`rate-limiting` plugin via `konghq.com/plugins`, or a WAF/Cloud Armor policy on cloud load balancers. Warden ' +
      'asks this of Ingresses whose names, hosts, paths or backends point at a model endpoint (model, predict, ' +
      'infer, serving, kserve, triton, vllm, llm, `/v2/models`, …).',
  },
  references: {
    nist: 'NIST SP 800-190 4.4.2; OWASP API Security Top 10 API4:2023 (unrestricted resource consumption)',
    links: ['https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#rate-limiting'],
  },
  messages: {
    noLimit: 'Ingress `{{name}}` fronts a model endpoint without a rate limit: one client can exhaust the model servers. Add your controller\'s rate-limit annotation (e.g. `nginx.ingress.kubernetes.io/limit-rps`).',
  },
  check: (target, ctx) => {
    if (!endpointText(target.node).some((text) => MODEL_ENDPOINT.test(text))) return;
    const annotations = getIn(target.node, ['metadata', 'annotations']);
    if (isRecord(annotations) && Object.keys(annotations).some((key) => RATE_LIMIT_ANNOTATION.some((re) => re.test(key)))) return;
    ctx.report({ message: 'noLimit', at: 'metadata.annotations', data: { name: target.resource.name } });
  },
});
