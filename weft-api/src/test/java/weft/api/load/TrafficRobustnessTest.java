package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * VirtualService and DestinationRule documents with one value replaced anywhere decode to a
 * resource or fail with field errors: never an exception, never a record invariant reached.
 */
class TrafficRobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VS = """
      {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "v", "namespace": "jobs"},
       "spec": {"hosts": ["jobs"], "gateways": ["mesh"], "http": [{"name": "r",
         "match": [{"uri": {"prefix": "/a"}, "method": {"exact": "GET"}, "headers": {"x": {"regex": "a.*"}}, "ignoreUriCase": true}],
         "route": [{"destination": {"host": "jobs", "subset": "v1", "port": {"number": 80}}, "weight": 70,
                    "headers": {"request": {"set": {"a": "b"}, "add": {"c": "d"}, "remove": ["e"]}}},
                   {"destination": {"host": "jobs", "subset": "v2"}, "weight": 30}],
         "rewrite": {"uri": "/b", "authority": "x"}, "timeout": "1s",
         "retries": {"attempts": 2, "perTryTimeout": "100ms", "retryOn": "5xx"},
         "fault": {"delay": {"fixedDelay": "1s", "percentage": {"value": 5}}, "abort": {"httpStatus": 503, "percentage": {"value": 1}}},
         "mirror": {"host": "shadow"}, "mirrorPercentage": {"value": 10}}]}}
      """;
  private static final String DR = """
      {"apiVersion": "networking.istio.io/v1beta1", "kind": "DestinationRule", "metadata": {"name": "d", "namespace": "jobs"},
       "spec": {"host": "jobs", "trafficPolicy": {
         "loadBalancer": {"simple": "RANDOM", "localityLbSetting": {"failover": [{"from": "a", "to": "b"}]}},
         "connectionPool": {"tcp": {"maxConnections": 1, "connectTimeout": "1s"}, "http": {"http1MaxPendingRequests": 1, "http2MaxRequests": 1, "maxRetries": 1}},
         "outlierDetection": {"consecutive5xxErrors": 1, "consecutiveGatewayErrors": 1, "interval": "1s", "baseEjectionTime": "1s", "maxEjectionPercent": 10},
         "tls": {"mode": "ISTIO_MUTUAL"}},
        "subsets": [{"name": "v1", "labels": {"version": "v1"}, "trafficPolicy": {"loadBalancer": {"consistentHash": {"httpHeaderName": "x"}}}}]}}
      """;

  @Provide
  Arbitrary<JsonNode> values() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return Arbitraries.of(f.nullNode(), f.textNode(""), f.textNode("("), f.textNode("-1s"), f.textNode("UNKNOWN"),
        f.numberNode(-1), f.numberNode(0), f.numberNode(1e12), f.numberNode(101.5), f.booleanNode(true),
        f.objectNode(), f.arrayNode(), f.objectNode().put("x", 1), f.arrayNode().add(f.nullNode()));
  }

  @Property(tries = 300)
  void anyOneValueReplacedDecodesOrFailsWithFieldErrors(@ForAll("values") JsonNode value, @ForAll boolean vs,
      @ForAll int pick) throws Exception {
    JsonNode doc = JSON.readTree(vs ? VS : DR);
    List<Slot> slots = new ArrayList<>();
    collect(doc, slots);
    Slot s = slots.get(Math.floorMod(pick, slots.size()));
    if (s.parent() instanceof ObjectNode o) {
      o.set(s.field(), value);
    } else {
      ((ArrayNode) s.parent()).set(s.index(), value);
    }
    LoadResult r = ResourceLoader.parse("fuzz.json", JSON.writeValueAsString(doc));
    assertThat(r.loaded().isEmpty()).isNotEqualTo(r.errors().isEmpty());
    assertThat(r.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank().doesNotStartWith("invalid resource"));
  }

  private record Slot(JsonNode parent, String field, int index) {}

  private static void collect(JsonNode n, List<Slot> out) {
    if (n instanceof ObjectNode o) {
      o.fieldNames().forEachRemaining(f -> {
        if (!f.equals("apiVersion") && !f.equals("kind")) {
          out.add(new Slot(o, f, -1));
          collect(o.get(f), out);
        }
      });
    } else if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Slot(a, null, i));
        collect(a.get(i), out);
      }
    }
  }
}
