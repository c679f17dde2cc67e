package weft.bench.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.Endpoint;
import weft.policy.engine.Flow;
import weft.policy.engine.PolicyEngine;
import weft.policy.identity.Identity;
import weft.policy.model.Action;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Clause;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.Entity;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.IstioString;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.NamespaceInfo;
import weft.policy.model.Peer;
import weft.policy.model.PolicyInputs;
import weft.policy.model.PolicyRef;
import weft.policy.model.PortMatch;
import weft.policy.model.PortRule;
import weft.policy.model.PortSpec;
import weft.policy.model.Protocol;
import weft.policy.model.Regex;
import weft.policy.model.Rule;
import weft.policy.model.WorkloadInfo;

/**
 * A synthetic mesh: 1,000 workloads in 10 namespaces and 1,000 policies (600 Cilium L3/L4 with a
 * deny, 200 Cilium L7 HTTP, 100 NetworkPolicies, 100 AuthorizationPolicies), plus sample flows.
 */
final class PolicyMesh {
  static final int WORKLOADS = 1000;
  static final int NAMESPACES = 10;

  private PolicyMesh() {}

  static String ns(int i) {
    return "ns-" + (i % NAMESPACES);
  }

  static PolicyEngine engine() {
    List<WorkloadInfo> ws = new ArrayList<>();
    for (int i = 0; i < WORKLOADS; i++) {
      ws.add(new WorkloadInfo(ns(i), "w-" + i, Map.of("app", "app-" + i, "tier", "t" + (i % 7)), "sa-" + i,
          List.of(new IpAddress(false, 0, (10L << 24) | ((i / 256) << 16) | ((i % 256) << 8) | 1)),
          List.of(new WorkloadInfo.NamedPort("http", 8080, Protocol.TCP)), "default", Optional.empty()));
    }
    List<NamespaceInfo> nss = new ArrayList<>();
    for (int n = 0; n < NAMESPACES; n++) nss.add(new NamespaceInfo("ns-" + n, Map.of("env", n % 2 == 0 ? "prod" : "dev")));
    List<LabelPolicy> label = new ArrayList<>();
    List<AuthzPolicy> authz = new ArrayList<>();
    for (int p = 0; p < 1000; p++) {
      int target = p % WORKLOADS;
      LabelSelector subject = LabelSelector.matchLabels(Map.of("app", "app-" + target, Identity.NAMESPACE, ns(target)));
      LabelSelector peers = LabelSelector.matchLabels(Map.of("tier", "t" + ((target + 1) % 7), Identity.NAMESPACE, ns(target)));
      if (p < 600) {
        label.add(new LabelPolicy(new PolicyRef(Dialect.CILIUM, "CiliumNetworkPolicy", ns(target), "l4-" + p), subject,
            Set.of(Direction.INGRESS),
            List.of(
                new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Endpoints(peers)),
                    List.of(new PortRule("spec.ingress[0].toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Named("http"))), L7Rules.NONE))),
                new Rule("spec.ingressDeny[0]", Action.DENY, List.of(new Peer.OfEntity(Entity.WORLD)),
                    List.of(new PortRule("spec.ingressDeny[0].toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(22, 22))), L7Rules.NONE)))),
            List.of(), List.of(), List.of()));
      } else if (p < 800) {
        L7Rules http = new L7Rules.Http(List.of(
            new L7Rules.HttpRule("rules.http[0]", Optional.of(Regex.compile("GET")), Optional.of(Regex.compile("/api/v1/items/[0-9]+")), Optional.empty(), List.of()),
            new L7Rules.HttpRule("rules.http[1]", Optional.of(Regex.compile("POST")), Optional.of(Regex.compile("/api/v1/items")), Optional.empty(), List.of())));
        label.add(new LabelPolicy(new PolicyRef(Dialect.CILIUM, "CiliumNetworkPolicy", ns(target), "l7-" + p), subject,
            Set.of(Direction.INGRESS),
            List.of(new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Endpoints(peers)),
                List.of(new PortRule("spec.ingress[0].toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(80, 80))), http)))),
            List.of(), List.of(), List.of()));
      } else if (p < 900) {
        label.add(new LabelPolicy(new PolicyRef(Dialect.KUBERNETES, "NetworkPolicy", ns(target), "np-" + p), subject,
            Set.of(Direction.INGRESS),
            List.of(new Rule("spec.ingress[0]", Action.ALLOW,
                List.of(new Peer.Endpoints(LabelSelector.matchLabels(Map.of(Identity.NAMESPACE_LABEL_PREFIX + "env", "prod")))), List.of())),
            List.of(), List.of(), List.of()));
      } else {
        Clause principals = new Clause("spec.rules[0].from[0].source.principals", Clause.Attribute.PRINCIPAL, "",
            new Clause.Values.Strings(List.of(IstioString.parse("cluster.local/ns/" + ns(target) + "/*", false))), false);
        Clause paths = new Clause("spec.rules[0].to[0].operation.paths", Clause.Attribute.PATH, "",
            new Clause.Values.Strings(List.of(IstioString.parse("/api/*", false))), false);
        authz.add(new AuthzPolicy(new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", ns(target), "ap-" + p), AuthzPolicy.AuthzAction.ALLOW,
            Optional.of(LabelSelector.matchLabels(Map.of("app", "app-" + target))),
            List.of(new AuthzPolicy.AuthzRule("spec.rules[0]", List.of(List.of(principals)), List.of(List.of(paths)), List.of()))));
      }
    }
    return PolicyEngine.compile(new PolicyInputs(ws, nss, List.of(), label, authz, List.of()), EngineOptions.DEFAULTS);
  }

  /** TCP flows to the named port of workloads with L3/L4 policy, same namespace, about half allowed. */
  static Flow[] l34Flows(int n) {
    Random r = new Random(42);
    Flow[] out = new Flow[n];
    for (int i = 0; i < n; i++) {
      int dst = r.nextInt(600);
      int src = (dst % NAMESPACES) + NAMESPACES * r.nextInt(WORKLOADS / NAMESPACES);
      out[i] = Flow.tcp(new Endpoint.Workload(ns(src), "w-" + src), new Endpoint.Workload(ns(dst), "w-" + dst), 8080);
    }
    return out;
  }

  /** HTTP requests from admitted peers to workloads with L7 rules; two of three match a rule. */
  static Flow[] l7Flows(int n) {
    Random r = new Random(43);
    Flow[] out = new Flow[n];
    String[] paths = {"/api/v1/items/123", "/api/v1/items/9/x", "/api/v1/items"};
    String[] methods = {"GET", "GET", "POST"};
    for (int i = 0; i < n; i++) {
      int dst = 600 + r.nextInt(200);
      // a peer the L3 rule admits (same namespace, the allowed tier), so the request reaches L7
      int src = dst % NAMESPACES;
      while (src % 7 != (dst + 1) % 7) src += NAMESPACES;
      int k = r.nextInt(3);
      out[i] = Flow.tcp(new Endpoint.Workload(ns(src), "w-" + src), new Endpoint.Workload(ns(dst), "w-" + dst), 80)
          .withHttp(new HttpRequest(methods[k], paths[k], "w-" + dst, Map.of()));
    }
    return out;
  }
}
