package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.api.ResourceSet;

/**
 * The specification of {@link IncrementalTranslator}: after any sequence of edits to a store, what
 * it returns equals a translation from scratch of the last store (every snapshot, the proxyless
 * default, the problems). Stores are drawn from a pool of resource documents, each absent or in one
 * of its variants; an edit switches one document to another variant (or removes or adds it).
 */
class IncrementalTranslatorProperties {
  /** Per slot: its variants (null = absent). Slots cover every kind the translator reads. */
  private static final List<List<String>> SLOTS = List.of(
      workloads("a1", "a", "sa-a", "10.0.0.1"),
      workloads("a2", "a", "sa-a", "10.0.0.2"),
      workloads("b1", "b", "sa-b", "10.0.0.3"),
      workloads("c1", "c", "sa-c", "10.0.0.4"),
      variants(
          "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: z1, namespace: other, labels: {app: z}}\n"
              + "spec: {serviceAccount: z, addresses: [10.0.1.1], ports: [{name: http, port: 8080}]}",
          "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: z1, namespace: other, labels: {app: z}}\n"
              + "spec: {serviceAccount: z, addresses: [], ports: [{name: http, port: 8080}]}"),
      services("a"), services("b"), services("c"),
      variants(
          "apiVersion: v1\nkind: Service\nmetadata: {name: z, namespace: other}\nspec: {selector: {app: z}, ports: [{name: http, port: 80, targetPort: http}]}"),
      variants(
          policy("AuthorizationPolicy", "security.istio.io/v1", "authz-a",
              "{selector: {matchLabels: {app: a}}, action: ALLOW, rules: [{to: [{operation: {methods: [GET]}}]}]}"),
          policy("AuthorizationPolicy", "security.istio.io/v1", "authz-a",
              "{selector: {matchLabels: {app: b}}, action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}"),
          policy("AuthorizationPolicy", "security.istio.io/v1", "authz-a",
              "{action: ALLOW, rules: [{from: [{source: {principals: [cluster.local/ns/mesh/sa/sa-a]}}]}]}")),
      variants(
          policy("PeerAuthentication", "security.istio.io/v1", "default", "{mtls: {mode: STRICT}}"),
          policy("PeerAuthentication", "security.istio.io/v1", "default", "{mtls: {mode: DISABLE}}"),
          policy("PeerAuthentication", "security.istio.io/v1", "default",
              "{selector: {matchLabels: {app: c}}, mtls: {mode: PERMISSIVE}}")),
      variants(
          policy("CiliumNetworkPolicy", "cilium.io/v2", "l7",
              "{endpointSelector: {matchLabels: {app: b}}, ingress: [{fromEndpoints: [{matchLabels: {app: a}}], "
                  + "toPorts: [{ports: [{port: \"8080\", protocol: TCP}], rules: {http: [{method: GET}]}}]}]}"),
          policy("CiliumNetworkPolicy", "cilium.io/v2", "l7",
              "{endpointSelector: {matchLabels: {app: c}}, ingress: [{fromEndpoints: [{matchLabels: {tier: x}}]}]}")),
      variants(
          policy("NetworkPolicy", "networking.k8s.io/v1", "np",
              "{podSelector: {matchLabels: {app: a}}, ingress: [{from: [{podSelector: {matchLabels: {app: c}}}]}]}")),
      variants(
          policy("VirtualService", "networking.istio.io/v1", "vs-b",
              "{hosts: [b], http: [{route: [{destination: {host: b}}], timeout: 2s}]}"),
          policy("VirtualService", "networking.istio.io/v1", "vs-b",
              "{hosts: [b], http: [{route: [{destination: {host: b, subset: v2}}]}]}")),
      variants(
          policy("DestinationRule", "networking.istio.io/v1", "dr-b",
              "{host: b, subsets: [{name: v2, labels: {version: v2}}]}"),
          policy("DestinationRule", "networking.istio.io/v1", "dr-b",
              "{host: b, trafficPolicy: {tls: {mode: DISABLE}}}")),
      variants(
          policy("Sidecar", "networking.istio.io/v1", "default", "{egress: [{hosts: [./*]}]}"),
          policy("Sidecar", "networking.istio.io/v1", "default", "{egress: [{hosts: [other/*, ./b.mesh.svc.cluster.local]}]}")),
      variants(
          policy("Sidecar", "networking.istio.io/v1", "only-a", "{workloadSelector: {labels: {app: a}}, egress: [{hosts: [\"~/*\"]}]}"),
          policy("Sidecar", "networking.istio.io/v1", "only-a", "{workloadSelector: {labels: {version: v2}}, egress: [{hosts: [./c.mesh.svc.cluster.local]}]}")),
      variants(
          "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: istio-system}\n"
              + "spec: {egress: [{hosts: [\"*/b.mesh.svc.cluster.local\", ./*]}]}"));

  private static List<String> variants(String... docs) {
    return List.of(docs);
  }

  private static List<String> workloads(String name, String app, String sa, String address) {
    String head = "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: " + name + ", namespace: mesh, labels: ";
    String spec = "spec: {serviceAccount: " + sa + ", addresses: [" + address + "], ports: [{name: http, port: 8080}";
    return List.of(
        head + "{app: " + app + "}}\n" + spec + "]}",
        head + "{app: " + app + ", version: v2, tier: x}}\n" + spec + "]}",
        head + "{app: " + app + "}}\n" + spec + ", {name: tcp-db, port: 5432}], locality: {region: r1, zone: z1}}",
        head + "{app: other}}\n" + spec + "]}");
  }

  private static List<String> services(String app) {
    String head = "apiVersion: v1\nkind: Service\nmetadata: {name: " + app + ", namespace: mesh}\nspec: {selector: {app: " + app + "}, ports: ";
    return List.of(
        head + "[{name: http, port: 80, targetPort: http}]}",
        head + "[{name: http, port: 80, targetPort: http}, {name: tcp-db, port: 5432, targetPort: tcp-db}]}",
        // the same port renamed: no cluster changes, the client's outbound TCP listener becomes a TLS one
        head + "[{name: http, port: 80, targetPort: http}, {name: tls-db, port: 5432, targetPort: tcp-db}]}",
        head + "[{name: http, port: 9090, targetPort: 8080}]}");
  }

  private static String policy(String kind, String apiVersion, String name, String spec) {
    return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: mesh}\nspec: " + spec;
  }

  /** A store: per slot, -1 (absent) or a variant index. */
  @Provide
  Arbitrary<List<Integer>> store() {
    List<Arbitrary<Integer>> choices = new ArrayList<>();
    for (List<String> slot : SLOTS) {
      choices.add(Arbitraries.integers().between(-1, slot.size() - 1));
    }
    return Combinators.combine(choices).as(List::copyOf);
  }

  /** Edits: (slot, new choice) pairs applied in turn. */
  @Provide
  Arbitrary<List<List<Integer>>> edits() {
    Arbitrary<List<Integer>> edit = Arbitraries.integers().between(0, SLOTS.size() - 1)
        .flatMap(slot -> Arbitraries.integers().between(-1, SLOTS.get(slot).size() - 1).map(v -> List.of(slot, v)));
    return edit.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 40)
  void afterAnyEditsTheIncrementalTranslationEqualsOneFromScratch(
      @ForAll("store") List<Integer> store, @ForAll("edits") List<List<Integer>> edits) {
    IncrementalTranslator incremental = new IncrementalTranslator(Mesh.OPTIONS);
    List<Integer> current = new ArrayList<>(store);
    incremental.translate(resources(current));
    for (List<Integer> edit : edits) {
      current.set(edit.get(0), edit.get(1));
      ResourceSet next = resources(current);
      Translator.Translation got = incremental.translate(next);
      Translator.Translation full = Translator.translateAll(next, Mesh.OPTIONS);
      assertThat(got.snapshots()).as("snapshots after %s", edit).isEqualTo(full.snapshots());
      assertThat(got.proxyless()).as("proxyless after %s", edit).isEqualTo(full.proxyless());
      assertThat(got.problems()).as("problems after %s", edit).isEqualTo(full.problems());
    }
  }

  private static ResourceSet resources(List<Integer> choice) {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < SLOTS.size(); i++) {
      if (choice.get(i) >= 0) {
        docs.add(SLOTS.get(i).get(choice.get(i)));
      }
    }
    return docs.isEmpty() ? ResourceSet.empty() : Mesh.resources(docs.toArray(String[]::new));
  }
}
