package weft.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import weft.policy.engine.DenyMode;
import weft.policy.engine.Endpoint;
import weft.policy.engine.Flow;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.Protocol;

/**
 * A probes file: {@code probes: [{from, to, port, protocol, http, kafka, principal, mtls, remoteIp,
 * icmpType, expect, denyMode}]}. Every problem names the probe and field; unknown fields are errors.
 */
final class Probes {
  private Probes() {}

  record Probe(int index, Flow flow, boolean expectAllow, Optional<DenyMode> denyMode, String text) {}

  record Parsed(List<Probe> probes, List<String> problems) {}

  private static final Set<String> PROBE_FIELDS = Set.of("from", "to", "port", "protocol", "http", "kafka",
      "principal", "mtls", "remoteIp", "icmpType", "expect", "denyMode");
  private static final Set<String> HTTP_FIELDS = Set.of("method", "path", "host", "headers");
  private static final Set<String> KAFKA_FIELDS = Set.of("apiKey", "apiVersion", "clientID", "topic");

  static Parsed parse(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    List<String> problems = new ArrayList<>();
    List<Probe> probes = new ArrayList<>();
    String f = file.toString();
    if (root == null || !root.isObject() || !root.path("probes").isArray()) {
      problems.add(f + ": probes: required (expected: a list of probes)");
      return new Parsed(probes, problems);
    }
    unknown(root, Set.of("probes"), f + ": ", problems);
    JsonNode list = root.get("probes");
    for (int i = 0; i < list.size(); i++) {
      String at = f + ": probes[" + i + "].";
      try {
        probes.add(probe(i, list.get(i), at, problems));
      } catch (IllegalArgumentException e) {
        problems.add(at.substring(0, at.length() - 1) + ": " + e.getMessage());
      }
    }
    return new Parsed(probes, problems);
  }

  private static Probe probe(int i, JsonNode p, String at, List<String> problems) {
    if (!p.isObject()) throw new IllegalArgumentException("expected: a mapping");
    unknown(p, PROBE_FIELDS, at, problems);
    String from = text(p, "from", at);
    String to = text(p, "to", at);
    Protocol protocol = p.has("protocol")
        ? Protocol.parse(p.get("protocol").asText()).filter(x -> x != Protocol.ANY)
            .orElseThrow(() -> new IllegalArgumentException("protocol: " + p.get("protocol").asText() + " (expected: TCP, UDP, SCTP or ICMP)"))
        : Protocol.TCP;
    int port;
    if (protocol == Protocol.ICMP) {
      port = p.has("icmpType") ? p.get("icmpType").asInt() : 8;
    } else {
      if (!p.path("port").canConvertToInt()) throw new IllegalArgumentException("port: required (expected: 0..65535)");
      port = p.get("port").asInt();
    }
    Flow flow = Flow.tcp(Endpoint.parse(from), Endpoint.parse(to), port).withProtocol(protocol);
    if (p.has("mtls")) flow = flow.withMtls(p.get("mtls").asBoolean());
    if (p.has("principal")) flow = flow.withPrincipal(p.get("principal").asText());
    if (p.has("remoteIp")) flow = flow.withRemoteIp(IpAddress.of(p.get("remoteIp").asText()));
    if (p.has("http")) {
      JsonNode h = p.get("http");
      unknown(h, HTTP_FIELDS, at + "http.", problems);
      Map<String, String> headers = new LinkedHashMap<>();
      h.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      flow = flow.withHttp(new HttpRequest(h.path("method").asText("GET"), h.path("path").asText("/"),
          h.has("host") ? h.get("host").asText() : FlowOptions.defaultHost(flow.destination()), headers));
    }
    if (p.has("kafka")) {
      JsonNode k = p.get("kafka");
      unknown(k, KAFKA_FIELDS, at + "kafka.", problems);
      flow = flow.withKafka(FlowOptions.kafka(k.path("apiKey").asText("produce"),
          k.has("apiVersion") ? OptionalInt.of(k.get("apiVersion").asInt()) : OptionalInt.empty(),
          Optional.ofNullable(k.get("clientID")).map(JsonNode::asText), Optional.ofNullable(k.get("topic")).map(JsonNode::asText)));
    }
    String expect = text(p, "expect", at);
    if (!expect.equals("allow") && !expect.equals("deny")) throw new IllegalArgumentException("expect: " + expect + " (expected: allow or deny)");
    Optional<DenyMode> mode = p.has("denyMode") ? Optional.of(DenyMode.parse(p.get("denyMode").asText())) : Optional.empty();
    return new Probe(i, flow, expect.equals("allow"), mode, p.toString());
  }

  private static String text(JsonNode p, String field, String at) {
    JsonNode v = p.get(field);
    if (v == null || !v.isValueNode()) throw new IllegalArgumentException(field + ": required");
    return v.asText();
  }

  private static void unknown(JsonNode n, Set<String> known, String at, List<String> problems) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) problems.add(at + name + ": unknown field (expected one of " + new java.util.TreeSet<>(known) + ")");
    }
  }
}
