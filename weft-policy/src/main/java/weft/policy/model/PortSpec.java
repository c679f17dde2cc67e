package weft.policy.model;

/** The port part of a port rule: a range (a single port is a range of one) or a named port. */
public sealed interface PortSpec {

  /** Inclusive range; {@code 0..65535} is "all ports". For ICMP the range holds ICMP types. */
  record Range(int first, int last) implements PortSpec {
    public Range {
      if (first < 0 || last > 65535 || first > last) {
        throw new IllegalArgumentException(
            "port range: " + first + "-" + last + " (expected: 0 <= first <= last <= 65535)");
      }
    }

    public static Range all() {
      return new Range(0, 65535);
    }

    public boolean contains(int port) {
      return port >= first && port <= last;
    }
  }

  /** A port name, resolved against the destination workload's ports. */
  record Named(String name) implements PortSpec {}
}
