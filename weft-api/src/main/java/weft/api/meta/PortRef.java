package weft.api.meta;

import java.util.Objects;

/**
 * A port written as a number or as a name (Kubernetes' IntOrString): named ports are resolved
 * against the ports a workload declares, per destination.
 */
public sealed interface PortRef {

  /**
   * A port number, 0..65535. Where Cilium allows it, 0 means "every port".
   */
  record Number(int port) implements PortRef {
    public Number {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
    }

    @Override
    public String toString() {
      return Integer.toString(port);
    }
  }

  /** A named port (an IANA_SVC_NAME: 1-15 lower-case letters, digits and '-', with a letter). */
  record Name(String name) implements PortRef {
    public Name {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static PortRef of(int port) {
    return new Number(port);
  }

  static PortRef of(String name) {
    return new Name(name);
  }
}
