package weft.cli.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Option;
import weft.policy.engine.Endpoint;
import weft.policy.engine.Flow;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.KafkaApiKeys;
import weft.policy.model.KafkaRequest;
import weft.policy.model.Protocol;

/** The flow flags of {@code weft policy trace}. */
final class FlowOptions {
  @Option(names = "--from", required = true, paramLabel = "SRC", description = "NS/NAME, node/NAME or an IP address.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "DST", description = "NS/NAME, node/NAME or an IP address.")
  String to;

  @Option(names = "--port", required = true, paramLabel = "N", description = "Destination port (ICMP: the ICMP type).")
  int port;

  @Option(names = "--protocol", defaultValue = "TCP", paramLabel = "P", description = "TCP, UDP, SCTP or ICMP (default: TCP).")
  String protocol;

  @Option(names = "--plaintext", description = "The flow does not use mTLS.")
  boolean plaintext;

  @Option(names = "--principal", paramLabel = "ID", description = "Authenticated peer identity (SPIFFE ID); implies mTLS.")
  String principal;

  @Option(names = "--remote-ip", paramLabel = "IP", description = "Client address after X-Forwarded-For processing.")
  String remoteIp;

  @Option(names = "--http-method", paramLabel = "M") String httpMethod;
  @Option(names = "--http-path", paramLabel = "P", description = "Path with query.") String httpPath;
  @Option(names = "--http-host", paramLabel = "H") String httpHost;
  @Option(names = "--http-header", paramLabel = "K=V") List<String> httpHeaders;
  @Option(names = "--kafka-api-key", paramLabel = "K", description = "Name (produce, fetch, ...) or number.") String kafkaApiKey;
  @Option(names = "--kafka-topic", paramLabel = "T") String kafkaTopic;

  Flow flow() {
    if (plaintext && principal != null) throw new IllegalArgumentException("--plaintext and --principal exclude each other");
    Protocol p = Protocol.parse(protocol).filter(x -> x != Protocol.ANY)
        .orElseThrow(() -> new IllegalArgumentException("--protocol " + protocol + " (expected: TCP, UDP, SCTP or ICMP)"));
    Endpoint dst = Endpoint.parse(to);
    Flow f = Flow.tcp(Endpoint.parse(from), dst, port).withProtocol(p);
    if (plaintext) f = f.withMtls(false);
    if (principal != null) f = f.withPrincipal(principal);
    if (remoteIp != null) f = f.withRemoteIp(IpAddress.of(remoteIp));
    if (httpMethod != null || httpPath != null || httpHost != null || httpHeaders != null) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (httpHeaders != null) {
        for (String h : httpHeaders) {
          int eq = h.indexOf('=');
          if (eq <= 0) throw new IllegalArgumentException("--http-header " + h + " (expected: NAME=VALUE)");
          headers.put(h.substring(0, eq), h.substring(eq + 1));
        }
      }
      f = f.withHttp(new HttpRequest(httpMethod == null ? "GET" : httpMethod, httpPath == null ? "/" : httpPath,
          httpHost == null ? defaultHost(dst) : httpHost, headers));
    }
    if (kafkaApiKey != null || kafkaTopic != null) {
      f = f.withKafka(kafka(kafkaApiKey == null ? "produce" : kafkaApiKey, OptionalInt.empty(), Optional.empty(), Optional.ofNullable(kafkaTopic)));
    }
    return f;
  }

  static KafkaRequest kafka(String apiKey, OptionalInt version, Optional<String> clientId, Optional<String> topic) {
    int key = KafkaApiKeys.parse(apiKey)
        .orElseThrow(() -> new IllegalArgumentException("kafka apiKey " + apiKey + " (expected: produce, fetch, ... or a number)"));
    return new KafkaRequest(key, version, clientId, topic);
  }

  /** The Host a client would send: the workload's name, or the address. */
  static String defaultHost(Endpoint dst) {
    return switch (dst) {
      case Endpoint.Workload w -> w.name();
      case Endpoint.Node n -> n.name();
      case Endpoint.Ip ip -> ip.address().toString();
    };
  }
}
