import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { isUnknown } from '../../src/engine/shapes.js';
import { visible } from '../../src/engine/visible.js';
import type { Resource } from '../../src/model.js';
import { apiGroup, namespaceOf, nameOf } from './support/k8s.js';

/** Protocols that carry requests as they are; TLS and HTTPS (and Istio's TLS-terminating servers) do not. */
const PLAINTEXT = new Set(['HTTP', 'HTTP2', 'GRPC', 'TCP', 'MONGO', 'UDP']);

/** Whether an HTTPRoute only redirects to https (the usual job of a Gateway API port-80 listener). */
function redirectsToHttps(route: Resource): boolean {
  const rules = getIn(route.body, ['spec', 'rules']);
  return Array.isArray(rules) && rules.length > 0 && rules.every((rule) => {
    const filters = isRecord(rule) ? rule.filters : undefined;
    return Array.isArray(filters) && filters.some((f) => isRecord(f) && f.type === 'RequestRedirect' && getIn(f, ['requestRedirect', 'scheme']) === 'https');
  });
}

/** The HTTPRoutes attached to a Gateway API listener. */
function attachedRoutes(gateway: Resource, listener: Record<string, unknown>, routes: readonly Resource[]): Resource[] {
  const name = nameOf(gateway);
  const namespace = namespaceOf(gateway);
  return routes.filter((route) => {
    const parents = getIn(route.body, ['spec', 'parentRefs']);
    return Array.isArray(parents) && parents.some((p) =>
      isRecord(p)
      && (p.kind === undefined || p.kind === 'Gateway')
      && p.name === name
      && (typeof p.namespace === 'string' ? p.namespace : namespaceOf(route)) === namespace
      && (p.sectionName === undefined || p.sectionName === listener.name)
      && (p.port === undefined || p.port === listener.port));
  });
}

export default defineRule({
  id: 'k8s/gateway-tls',
  severity: 'medium',
  title: 'Gateway that serves without TLS',
  fixable: true,
  scope: 'resource',
  kinds: ['Gateway'],
  lookups: ['HTTPRoute'],
  docs: {
    why:
      'KServe, Seldon and most LLM gateways publish model endpoints through an Istio Gateway or a Gateway API ' +
      'Gateway. A server or listener without TLS serves them over plain HTTP: prompts, inputs (often personal ' +
      'data) and predictions cross the network readable and alterable, and the bearer tokens or API keys sent to ' +
      'the endpoint can be sniffed.',
    fix:
      'Istio: serve HTTPS (`port.protocol: HTTPS`, `tls.mode: SIMPLE` with a `credentialName`) and give the HTTP ' +
      'server `tls.httpsRedirect: true` (Warden suggests that when the Gateway already has an HTTPS server). Gateway ' +
      'API: an HTTPS listener with `tls.certificateRefs`; a port-80 listener is fine when every HTTPRoute attached to ' +
      'it only redirects to https (a `RequestRedirect` filter with `scheme: https`).',
  },
  references: {
    nist: 'NIST SP 800-190 4.4.2 (network traffic protection)',
    links: ['https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/', 'https://gateway-api.sigs.k8s.io/guides/tls/'],
  },
  messages: {
    istio:
      'Gateway `{{name}}` server {{index}} serves {{protocol}} without TLS: the model endpoint\'s requests and answers ' +
      'cross the network readable. Serve HTTPS, and redirect this server with `tls.httpsRedirect: true`.',
    listener:
      'Gateway `{{name}}` listener `{{listener}}` serves {{protocol}} without TLS{{routes}}: the model endpoint\'s ' +
      'requests and answers cross the network readable. Serve HTTPS, or only redirect to https on this listener.',
  },
  check: (target, ctx) => {
    const { resource } = target;
    const group = apiGroup(resource);
    if (group === 'networking.istio.io') {
      const servers = getIn(target.node, ['spec', 'servers']);
      if (!Array.isArray(servers)) return;
      const hasHttps = servers.some((s) => ['HTTPS', 'TLS'].includes(String(getIn(s, ['port', 'protocol'])).toUpperCase()));
      servers.forEach((server, i) => {
        const protocol = getIn(server, ['port', 'protocol']);
        if (typeof protocol !== 'string' || isUnknown(protocol) || !PLAINTEXT.has(protocol.toUpperCase())) return;
        if (getIn(server, ['tls', 'httpsRedirect']) === true) return;
        const redirectable = hasHttps && protocol.toUpperCase() === 'HTTP';
        ctx.report({
          message: 'istio',
          at: ['spec', 'servers', i, 'port', 'protocol'],
          data: { name: resource.name, index: i + 1, protocol },
          fix: redirectable
            ? { description: 'Redirect this server to HTTPS', applicability: 'unsafe', ops: [{ op: 'set', path: ['spec', 'servers', i, 'tls', 'httpsRedirect'], value: true }] }
            : undefined,
        });
      });
      return;
    }
    if (group !== 'gateway.networking.k8s.io') return;
    const listeners = getIn(target.node, ['spec', 'listeners']);
    if (!Array.isArray(listeners)) return;
    const routes = visible(ctx).ofKind('HTTPRoute');
    listeners.forEach((listener, i) => {
      if (!isRecord(listener) || typeof listener.protocol !== 'string' || !PLAINTEXT.has(listener.protocol.toUpperCase())) return;
      const attached = attachedRoutes(resource, listener, routes);
      if (attached.length > 0 && attached.every(redirectsToHttps)) return;
      ctx.report({
        message: 'listener',
        at: ['spec', 'listeners', i, 'protocol'],
        data: {
          name: resource.name,
          listener: String(listener.name ?? i + 1),
          protocol: listener.protocol,
          routes: attached.length > 0 ? ` (HTTPRoute \`${attached.find((r) => !redirectsToHttps(r))!.name}\` serves on it)` : '',
        },
      });
    });
  },
});
