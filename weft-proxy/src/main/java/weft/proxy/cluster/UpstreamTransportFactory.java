package weft.proxy.cluster;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * Compiles a cluster's {@code transport_socket}. Implemented by the TLS package; clusters only call
 * it. Returns {@code null} for a raw (plaintext) socket, and records a problem at {@code path} for
 * anything it cannot honour.
 */
@FunctionalInterface
public interface UpstreamTransportFactory {
  UpstreamTransport compile(TransportSocket socket, ConfigPath path, ConfigProblems problems);

  /**
   * A factory for builds without TLS: accepts {@code envoy.transport_sockets.raw_buffer} and refuses
   * every other transport socket.
   */
  static UpstreamTransportFactory plaintextOnly() {
    return (socket, path, problems) -> {
      if (!socket.getName().equals("envoy.transport_sockets.raw_buffer")) {
        problems.unsupported(path.field("name"), socket.getName());
      }
      return null;
    };
  }
}
