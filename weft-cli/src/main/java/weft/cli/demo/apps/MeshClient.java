package weft.cli.demo.apps;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An application's view of the mesh: it sends plain HTTP to its own sidecar's outbound listener and
 * names the service in {@code Host}; the sidecar adds mTLS with the workload's SPIFFE identity.
 *
 * @param workload e.g. {@code tweet}
 * @param outbound its sidecar's outbound listener ({@code address:15001})
 * @param service the destination's host, e.g. {@code jobs-api}
 */
public record MeshClient(String workload, InetSocketAddress outbound, String service) {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** The status and body, or status 0 with the connection error as body. */
  public HttpCall.Response call(String method, String path, String body) {
    try {
      return HttpCall.send(outbound, service, method, path, body, TIMEOUT);
    } catch (IOException | RuntimeException e) {
      return new HttpCall.Response(0, "connection failed: " + e.getMessage());
    }
  }
}
