package weft.bench.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's mesh as resource files for a control plane's config dir, in namespace {@value
 * #NAMESPACE}.
 *
 * <p>Shape: {@code proxies} sidecar workloads {@code w<i>} (labels {@code app}, {@code backend:
 * b<i>}, {@code tier: t<i mod 10>}; address {@code 10.x.y.z}, never dialled; one port 8080) and
 * {@code services} Services {@code svc<k>} selecting {@code backend: b<k mod proxies>}, so every
 * service has one endpoint and each workload backs {@code services / proxies} of them. Every
 * workload is a proxy: weft translates a configuration for every Workload with an address (there is
 * no Sidecar scoping and no proxy-less workload), so a workload nobody connects for would still cost
 * the translator a full snapshot. Policies: namespace-wide STRICT mTLS, an AuthorizationPolicy on
 * tier t0 (the one edited each round), a second on tier t3, a CiliumNetworkPolicy with L7 HTTP
 * rules on tier t1.
 *
 * <p>With {@code sidecarScope}, each tier {@code t<j>} has an Istio Sidecar selecting it ({@code
 * workloadSelector: {tier: t<j>}}) that imports the services {@code svc<k>} with {@code k mod 10 =
 * j}: every proxy is told about a tenth of the services, as when each team's workloads call their
 * own services.
 *
 * @param proxies how many sidecar workloads (each one a connected simulated proxy)
 * @param services how many Services
 * @param sidecarScope whether each tier's proxies are scoped by a Sidecar
 */
record MeshFiles(int proxies, int services, boolean sidecarScope) {
  static final String NAMESPACE = "bench";
  static final String POLICY_FILE = "policies/tier0-authz.yaml";
  /** Workloads and services per file: a rescan re-reads every file, so not one file per resource. */
  private static final int PER_FILE = 500;
  private static final int TIERS = 10;

  MeshFiles {
    if (proxies < 1) {
      throw new IllegalArgumentException("proxies: " + proxies + " (expected: >= 1)");
    }
    if (services < 1) {
      throw new IllegalArgumentException("services: " + services + " (expected: >= 1)");
    }
  }

  /** Without Sidecar scoping. */
  MeshFiles(int proxies, int services) {
    this(proxies, services, false);
  }

  /** Node ids of the proxies, as the control plane names them: {@code ns/workload}. */
  List<String> nodeIds() {
    List<String> ids = new ArrayList<>(proxies);
    for (int i = 0; i < proxies; i++) {
      ids.add(NAMESPACE + "/w" + i);
    }
    return ids;
  }

  /** The SPIFFE ID of each proxy, in {@link #nodeIds()} order (workload {@code wI} runs as {@code sa-wI}). */
  List<String> spiffeIds(String trustDomain) {
    List<String> ids = new ArrayList<>(proxies);
    for (int i = 0; i < proxies; i++) {
      ids.add("spiffe://" + trustDomain + "/ns/" + NAMESPACE + "/sa/sa-w" + i);
    }
    return ids;
  }

  /** Writes the whole mesh (round 0's policy) under {@code dir}. */
  void write(Path dir) throws IOException {
    write(dir, "mesh/namespace.yaml", namespace());
    for (int from = 0; from < proxies; from += PER_FILE) {
      StringBuilder sb = new StringBuilder();
      for (int i = from; i < Math.min(proxies, from + PER_FILE); i++) {
        sb.append(workload("w" + i, i, address(i)));
      }
      write(dir, "mesh/workloads-" + (from / PER_FILE) + ".yaml", sb.toString());
    }
    for (int from = 0; from < services; from += PER_FILE) {
      StringBuilder sb = new StringBuilder();
      for (int k = from; k < Math.min(services, from + PER_FILE); k++) {
        sb.append(service(k));
      }
      write(dir, "mesh/services-" + (from / PER_FILE) + ".yaml", sb.toString());
    }
    if (sidecarScope) {
      write(dir, "mesh/sidecars.yaml", sidecars());
    }
    write(dir, "policies/tier1-l7.yaml", ciliumL7());
    write(dir, "policies/tier3-authz.yaml", tier3Policy());
    write(dir, POLICY_FILE, tier0Policy(0));
  }

  /** The tier-0 AuthorizationPolicy of round {@code round}: each round allows a different path. */
  String tier0Policy(int round) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: tier0, namespace: %s}
        spec:
          selector: {matchLabels: {tier: t0}}
          action: ALLOW
          rules:
          - from: [{source: {principals: [cluster.local/ns/%1$s/sa/sa-w1]}}]
            to: [{operation: {methods: [GET], paths: ["/api/v%d/*"]}}]
        """.formatted(NAMESPACE, round);
  }

  /** The file adding round {@code round}'s endpoint. */
  String addedEndpointFile(int round) {
    return "endpoints/added-" + round + ".yaml";
  }

  /**
   * A replica of workload {@code w<round mod proxies>} (same labels and service account, a new
   * address): one more endpoint for each service it backs, and no policy change, as when a
   * deployment scales up.
   */
  String addedEndpoint(int round) {
    int replicaOf = round % proxies;
    return workload("added-" + round, replicaOf, address(proxies + round));
  }

  /** How many services the replica added in {@code round} backs. */
  int servicesBackedBy(int round) {
    int i = round % proxies;
    return i < services ? (services - 1 - i) / proxies + 1 : 0;
  }

  /** Writes through a hidden temporary file and a rename, so the watcher never reads half a file. */
  static void write(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String namespace() {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: %1$s}
        spec:
          mtls: {mode: STRICT}
        """.formatted(NAMESPACE);
  }

  /** Workload {@code name} with the labels and service account of workload index {@code like}. */
  private static String workload(String name, int like, String address) {
    return """
        ---
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata:
          name: %s
          namespace: %s
          labels: {app: w%d, backend: b%3$d, tier: t%d}
        spec:
          serviceAccount: sa-w%3$d
          addresses: [%s]
          ports: [{name: http, port: 8080}]
        """.formatted(name, NAMESPACE, like, like % TIERS, address);
  }

  private String service(int k) {
    return """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: svc%d, namespace: %s}
        spec:
          selector: {backend: b%d}
          ports: [{name: http, port: 80, targetPort: http}]
        """.formatted(k, NAMESPACE, k % proxies);
  }

  /** One Sidecar per tier, importing the services whose index is the tier's modulo 10. */
  String sidecars() {
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < TIERS; t++) {
      sb.append("---\napiVersion: networking.istio.io/v1\nkind: Sidecar\n")
          .append("metadata: {name: tier").append(t).append(", namespace: ").append(NAMESPACE).append("}\n")
          .append("spec:\n  workloadSelector: {labels: {tier: t").append(t).append("}}\n  egress:\n  - hosts:\n");
      for (int k = t; k < services; k += TIERS) {
        sb.append("    - ./svc").append(k).append('.').append(NAMESPACE).append(".svc.cluster.local\n");
      }
      if (t >= services) {
        sb.append("    - \"~/*\"\n");
      }
    }
    return sb.toString();
  }

  private static String ciliumL7() {
    return """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: tier1-l7, namespace: %s}
        spec:
          endpointSelector: {matchLabels: {tier: t1}}
          ingress:
          - fromEndpoints: [{matchLabels: {tier: t2}}]
            toPorts:
            - ports: [{port: "8080", protocol: TCP}]
              rules:
                http:
                - {method: GET, path: "/api/[0-9]+"}
                - {method: POST, path: "/api/orders"}
        """.formatted(NAMESPACE);
  }

  private static String tier3Policy() {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: tier3, namespace: %s}
        spec:
          selector: {matchLabels: {tier: t3}}
          action: ALLOW
          rules:
          - from: [{source: {namespaces: [%1$s]}}]
            to: [{operation: {methods: [GET, POST], paths: ["/orders/*"]}}]
        """.formatted(NAMESPACE);
  }

  /** 10.x.y.z from an index, skipping .0 and .255 host parts; never dialled. */
  static String address(int index) {
    int host = index % 254 + 1;
    int rest = index / 254;
    return "10." + (rest / 256 % 256) + "." + (rest % 256) + "." + host;
  }
}
