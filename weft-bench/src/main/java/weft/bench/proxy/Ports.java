package weft.bench.proxy;

import java.util.List;

/**
 * Where a path listens for each protocol the harness sends: weft and the built-in backend take
 * HTTP/1.1 and h2c (prior knowledge) on one port; nginx and HAProxy need a separate h2c port.
 */
record Ports(int h1, int h2c) {
  static Ports shared(int port) {
    return new Ports(port, port);
  }

  List<Integer> distinct() {
    return h1 == h2c ? List.of(h1) : List.of(h1, h2c);
  }
}
