package weft.controlplane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * What the end-to-end mesh tests share: workloads on their own loopback addresses, free ports on them,
 * and everything a test started, closed in reverse order afterwards.
 */
final class LoopbackMesh implements AutoCloseable {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Closes {@code c} (after everything registered later) when the test ends. */
  void register(AutoCloseable c) {
    open.add(c);
  }

  @Override
  public void close() {
    for (AutoCloseable c : open.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: the rest must close too
      }
    }
    open.clear();
  }

  static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  /** A weft Workload in namespace default with its app on 127.0.0.1; {@code ports} is the YAML list body. */
  static String workload(String name, String address, String ports, int outboundPort) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %1$s, namespace: default, labels: {app: %1$s}}
        spec:
          serviceAccount: %1$s
          addresses: [%2$s]
          ports: [%3$s]
          app: {address: 127.0.0.1, portOffset: 0}
          proxy: {outboundPort: %4$d}
        """.formatted(name, address, ports, outboundPort);
  }
}
