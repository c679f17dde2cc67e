package weft.policy.engine;

import java.util.Optional;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.KafkaRequest;
import weft.policy.model.Protocol;

/**
 * A flow to judge. {@code port} is the destination port, or the ICMP type for ICMP. {@code mtls}
 * and {@code principal} empty mean the defaults: mTLS with the source workload's SPIFFE ID between
 * two workloads, plaintext otherwise. {@code remoteIp} is the client address after X-Forwarded-For
 * processing; empty means the source address.
 */
public record Flow(
    Endpoint source,
    Endpoint destination,
    Protocol protocol,
    int port,
    Optional<Boolean> mtls,
    Optional<String> principal,
    Optional<IpAddress> remoteIp,
    Optional<HttpRequest> http,
    Optional<KafkaRequest> kafka) {

  public Flow {
    if (protocol == Protocol.ANY) {
      throw new IllegalArgumentException("flow protocol: ANY (expected: TCP, UDP, SCTP or ICMP)");
    }
    int max = protocol == Protocol.ICMP ? 255 : 65535;
    if (port < 0 || port > max) {
      throw new IllegalArgumentException("flow port: " + port + " (expected: 0.." + max + ")");
    }
    if (http.isPresent() && kafka.isPresent()) {
      throw new IllegalArgumentException("a flow carries an HTTP or a Kafka request, not both");
    }
  }

  /** {@code SRC -> DST TCP/80 [plaintext] [GET /path] [kafka produce topic]}, for findings and failures. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(source).append(" -> ").append(destination).append(' ')
        .append(protocol).append('/').append(port);
    mtls.ifPresent(m -> sb.append(m ? " mtls" : " plaintext"));
    principal.ifPresent(p -> sb.append(" principal ").append(p));
    remoteIp.ifPresent(ip -> sb.append(" remote-ip ").append(ip));
    http.ifPresent(h -> sb.append(' ').append(h.method()).append(' ').append(h.path()));
    kafka.ifPresent(k -> sb.append(" kafka ").append(weft.policy.model.KafkaApiKeys.name(k.apiKey()))
        .append(k.topic().map(t -> " " + t).orElse("")));
    return sb.toString();
  }

  /** A TCP flow with default mTLS and no L7 request. */
  public static Flow tcp(Endpoint source, Endpoint destination, int port) {
    return new Flow(source, destination, Protocol.TCP, port, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static Flow tcp(String source, String destination, int port) {
    return tcp(Endpoint.parse(source), Endpoint.parse(destination), port);
  }

  public Flow withProtocol(Protocol p) {
    return new Flow(source, destination, p, port, mtls, principal, remoteIp, http, kafka);
  }

  public Flow withHttp(HttpRequest r) {
    return new Flow(source, destination, protocol, port, mtls, principal, remoteIp, Optional.of(r), kafka);
  }

  public Flow withKafka(KafkaRequest r) {
    return new Flow(source, destination, protocol, port, mtls, principal, remoteIp, http, Optional.of(r));
  }

  public Flow withMtls(boolean on) {
    return new Flow(source, destination, protocol, port, Optional.of(on), principal, remoteIp, http, kafka);
  }

  public Flow withPrincipal(String p) {
    return new Flow(source, destination, protocol, port, Optional.of(true), Optional.of(p), remoteIp, http, kafka);
  }

  public Flow withRemoteIp(IpAddress ip) {
    return new Flow(source, destination, protocol, port, mtls, principal, Optional.of(ip), http, kafka);
  }
}
