package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import weft.api.Kind;

/**
 * Bad input never crashes the loader and never slips past the decoders into a record constructor:
 * random documents built from each kind's own field names either decode or yield field errors.
 */
class RobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> FIELDS =
      List.of(
          "name", "namespace", "labels", "podSelector", "namespaceSelector", "ipBlock", "cidr", "except",
          "ingress", "egress", "from", "to", "ports", "port", "endPort", "protocol", "policyTypes",
          "matchLabels", "matchExpressions", "key", "operator", "values", "endpointSelector",
          "nodeSelector", "ingressDeny", "egressDeny", "fromEndpoints", "toEndpoints", "fromRequires",
          "fromCIDR", "fromCIDRSet", "toCIDRSet", "fromEntities", "toEntities", "toPorts", "rules", "http",
          "kafka", "method", "path", "host", "headers", "headerMatches", "mismatch", "role", "apiKey",
          "apiVersion", "topic", "enableDefaultDeny", "selector", "action", "source", "operation",
          "principals", "ipBlocks", "notPaths", "paths", "methods", "when", "notValues", "mtls", "mode",
          "portLevelMtls", "serviceAccount", "addresses", "targetPort", "locality", "region", "specs");
  private static final List<String> SCALARS =
      List.of("", "a", "80", "http", "10.0.0.0/8", "10.0.0.1", "::1/128", "(", "GET", "TCP", "ANY", "In",
          "Exists", "world", "produce", "DENY", "CUSTOM", "STRICT", "k8s:app", "reserved:host", "*", "/a*",
          "source.ip", "request.headers[x]", "Ingress", "0", "-1", "99999");

  @Property(tries = 400)
  void randomDocumentsDecodeOrFailWithFieldErrors(@ForAll("documents") String json) {
    LoadResult r = ResourceLoader.parse("fuzz.json", json);
    Statistics.label("outcome").collect(r.loaded().isEmpty() ? "refused" : "decoded");
    Statistics.label("errors").collect(Math.min(r.errors().size(), 3));
    assertThat(r.loaded().size() + r.errors().size()).as(json).isPositive();
    assertThat(r.errors())
        .as(json)
        .allSatisfy(e -> assertThat(e.message()).isNotBlank().doesNotStartWith("invalid resource"));
  }

  /** Valid documents of each kind; mutations of them reach deep into every decoder. */
  private static final List<String> CORPUS =
      List.of(
          """
          {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy", "metadata": {"name": "p", "namespace": "jobs"},
           "spec": {"endpointSelector": {"matchLabels": {"app": "a"}, "matchExpressions": [{"key": "k8s:b", "operator": "In", "values": ["x"]}]},
             "enableDefaultDeny": {"ingress": true},
             "ingress": [{"fromEndpoints": [{"matchLabels": {"app": "t"}}],
               "toPorts": [{"ports": [{"port": "80", "protocol": "TCP"}], "rules": {"http": [{"method": "GET", "path": "/a/[0-9]+",
                 "headers": ["X-A: b"], "headerMatches": [{"name": "X", "value": "v", "mismatch": "LOG"}]}]}},
                 {"ports": [{"port": "9092", "protocol": "TCP"}], "rules": {"kafka": [{"role": "produce", "topic": "t"}]}}]}],
             "egress": [{"toCIDRSet": [{"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}]}, {"toEntities": ["world"]}],
             "egressDeny": [{"toCIDR": ["1.2.3.4"], "toPorts": [{"ports": [{"port": "443", "endPort": 444}]}]}]},
           "specs": [{"endpointSelector": {}, "ingress": [{"fromRequires": [{}]}]}]}
          """,
          """
          {"apiVersion": "cilium.io/v2", "kind": "CiliumClusterwideNetworkPolicy", "metadata": {"name": "c"},
           "specs": [{"nodeSelector": {"matchLabels": {"role": "w"}}, "ingress": [{"fromEntities": ["cluster"]}]},
             {"endpointSelector": {}, "egress": [{"toEndpoints": [{}], "toPorts": [{"ports": [{"port": "dns", "protocol": "UDP"}]}]}]}]}
          """,
          """
          {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"},
           "spec": {"podSelector": {"matchLabels": {"a": "b"}}, "policyTypes": ["Ingress", "Egress"],
             "ingress": [{"from": [{"podSelector": {}, "namespaceSelector": {"matchExpressions": [{"key": "t", "operator": "Exists"}]}},
               {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}], "ports": [{"port": 80, "endPort": 90}, {"port": "http"}]}],
             "egress": [{"to": [{"podSelector": {}}]}]}}
          """,
          """
          {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": {"name": "a"},
           "spec": {"selector": {"matchLabels": {"a": "b"}}, "action": "DENY",
             "rules": [{"from": [{"source": {"principals": ["x"], "ipBlocks": ["10.0.0.0/8"], "notNamespaces": ["n"]}}],
               "to": [{"operation": {"methods": ["GET"], "paths": ["/a*"], "ports": ["80"]}}],
               "when": [{"key": "request.headers[x]", "values": ["y"]}, {"key": "destination.port", "notValues": ["81"]}]}]}}
          """,
          """
          {"apiVersion": "security.istio.io/v1beta1", "kind": "PeerAuthentication", "metadata": {"name": "p"},
           "spec": {"selector": {"matchLabels": {"a": "b"}}, "mtls": {"mode": "STRICT"}, "portLevelMtls": {"80": {"mode": "DISABLE"}}}}
          """,
          """
          {"apiVersion": "weft.dev/v1alpha1", "kind": "Workload", "metadata": {"name": "w", "labels": {"a": "b"}},
           "spec": {"serviceAccount": "s", "addresses": ["10.0.0.1"], "ports": [{"name": "http", "port": 80, "appProtocol": "http"}],
             "locality": {"region": "r", "zone": "z"}, "node": "n", "cluster": "c"}}
          """,
          """
          {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"selector": {"a": "b"}, "type": "ClusterIP", "ports": [{"name": "http", "port": 80, "targetPort": "http"}, {"name": "b", "port": 81, "targetPort": 8081}]}}
          """,
          """
          {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "jobs", "labels": {"t": "x"}}},
            {"apiVersion": "weft.dev/v1alpha1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"addresses": ["::1"]}}]}
          """);

  @Property(tries = 1000)
  void mutatedValidDocumentsDecodeOrFailWithFieldErrors(
      @ForAll("corpus") String seed, @ForAll("mutations") List<Tuple.Tuple2<Integer, JsonNode>> mutations)
      throws Exception {
    JsonNode doc = JSON.readTree(seed);
    for (Tuple.Tuple2<Integer, JsonNode> m : mutations) {
      mutate(doc, m.get1(), m.get2());
    }
    String json = JSON.writeValueAsString(doc);
    LoadResult r = ResourceLoader.parse("fuzz.json", json);
    Statistics.label("outcome").collect(r.loaded().isEmpty() ? "refused" : "decoded");
    assertThat(r.errors())
        .as(json)
        .allSatisfy(e -> assertThat(e.message()).isNotBlank().doesNotStartWith("invalid resource"));
  }

  @Property(tries = 500)
  void yamlTokenSoupNeverEscapesAsAnException(@ForAll("yamlSoup") String yaml) {
    LoadResult r = ResourceLoader.parse("soup.yaml", yaml);
    assertThat(r.errors()).as(yaml).allSatisfy(e -> assertThat(e.message()).isNotBlank());
  }

  @Provide
  Arbitrary<String> yamlSoup() {
    return Arbitraries.of(
            "apiVersion: v1\n", "kind: List\n", "kind: Namespace\n", "metadata:\n", "  name: a\n",
            "items:\n", "- ", "  ", "[", "]", "{", "}", ", ", ": ", "&a ", "*a", "&b [1, 2]\n", "*b\n",
            "---\n", "\n", "'q'", "\"x\"", "? ", "!!str ", "!!binary aGk=\n", "|\n  text\n", "# c\n",
            "0x1F", "~", "yes", "1e3", "\t")
        .list()
        .ofMaxSize(30)
        .map(parts -> String.join("", parts));
  }

  @org.junit.jupiter.api.Test
  void theCorpusItselfIsValid() {
    for (String doc : CORPUS) {
      LoadResult r = ResourceLoader.parse("corpus.json", doc);
      assertThat(r.errors()).as(doc).isEmpty();
      assertThat(r.loaded()).isNotEmpty();
    }
  }

  /** Replaces the n-th container child (depth-first, modulo their count) with {@code value}. */
  private static void mutate(JsonNode root, int n, JsonNode value) {
    List<Object[]> slots = new java.util.ArrayList<>();
    collect(root, slots);
    if (slots.isEmpty()) {
      return;
    }
    Object[] slot = slots.get(Math.floorMod(n, slots.size()));
    if (slot[0] instanceof ObjectNode o) {
      if (value.isMissingNode()) {
        o.remove((String) slot[1]);
      } else {
        o.set((String) slot[1], value);
      }
    } else if (slot[0] instanceof ArrayNode a) {
      if (value.isMissingNode()) {
        a.remove((int) slot[1]);
      } else {
        a.set((int) slot[1], value);
      }
    }
  }

  private static void collect(JsonNode node, List<Object[]> slots) {
    if (node instanceof ObjectNode o) {
      List<String> names = new java.util.ArrayList<>();
      o.properties().forEach(e -> names.add(e.getKey()));
      for (String name : names) {
        slots.add(new Object[] {o, name});
        collect(o.get(name), slots);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        slots.add(new Object[] {a, i});
        collect(a.get(i), slots);
      }
    }
  }

  @Provide
  Arbitrary<String> corpus() {
    return Arbitraries.of(CORPUS);
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, JsonNode>>> mutations() {
    Arbitrary<JsonNode> value =
        Arbitraries.oneOf(tree(1), Arbitraries.just(com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 10_000), value)
        .as(Tuple::of)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.lazy(() -> Arbitraries.of(Kind.values()))
        .flatMap(kind -> tree(3).map(spec -> Tuple.of(kind, spec)))
        .map(
            t -> {
              ObjectNode doc = F.objectNode();
              doc.put("apiVersion", t.get1().apiVersions().get(0));
              doc.put("kind", t.get1().kindName());
              doc.set("metadata", F.objectNode().put("name", "x"));
              doc.set("spec", t.get2());
              try {
                return JSON.writeValueAsString(doc);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private Arbitrary<JsonNode> tree(int depth) {
    Arbitrary<JsonNode> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(SCALARS).map(F::textNode),
            Arbitraries.integers().between(-2, 70000).map(i -> (JsonNode) F.numberNode(i)),
            Arbitraries.of(true, false).map(F::booleanNode),
            Arbitraries.just(F.nullNode()));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<JsonNode> object =
        Arbitraries.maps(Arbitraries.of(FIELDS), tree(depth - 1))
            .ofMaxSize(4)
            .map(
                m -> {
                  ObjectNode o = F.objectNode();
                  m.forEach(o::set);
                  return o;
                });
    Arbitrary<JsonNode> array =
        tree(depth - 1)
            .list()
            .ofMaxSize(3)
            .map(
                l -> {
                  ArrayNode a = F.arrayNode();
                  l.forEach(a::add);
                  return a;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, scalar), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(2, array));
  }
}
