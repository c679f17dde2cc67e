package weft.policy.engine;

import weft.policy.model.IpAddress;

/** One end of a flow as a user writes it: {@code NS/NAME}, {@code node/NAME} or an IP address. */
public sealed interface Endpoint {

  record Workload(String namespace, String name) implements Endpoint {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  record Node(String name) implements Endpoint {
    @Override
    public String toString() {
      return "node/" + name;
    }
  }

  record Ip(IpAddress address) implements Endpoint {
    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** Parses {@code NS/NAME}, {@code node/NAME} or an IP literal. */
  static Endpoint parse(String s) {
    var ip = IpAddress.parse(s);
    if (ip.isPresent()) return new Ip(ip.get());
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "invalid flow end \"" + s + "\" (expected: NS/NAME, node/NAME or an IP address)");
    }
    String a = s.substring(0, slash);
    String b = s.substring(slash + 1);
    return a.equals("node") ? new Node(b) : new Workload(a, b);
  }
}
