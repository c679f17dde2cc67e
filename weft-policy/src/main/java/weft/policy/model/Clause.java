package weft.policy.model;

import java.util.List;
import java.util.Set;

/**
 * One condition of an Istio rule: an attribute of the request and the values it may (or, when
 * {@code negated}, must not) have. Sources, operations and {@code when} lists are ANDs of clauses.
 * {@code key} is the header or claim name for {@link Attribute#HEADER}/{@link Attribute#CLAIM}.
 */
public record Clause(String path, Attribute attribute, String key, Values values, boolean negated) {

  /** What a clause looks at. HTTP-only attributes change meaning on TCP flows (docs/policy.md). */
  public enum Attribute {
    PRINCIPAL(false),
    NAMESPACE(false),
    SOURCE_IP(false),
    REMOTE_IP(false),
    DESTINATION_IP(false),
    PORT(false),
    SNI(false),
    REQUEST_PRINCIPAL(true),
    HOST(true),
    METHOD(true),
    PATH(true),
    HEADER(true),
    CLAIM(true);

    private final boolean httpOnly;

    Attribute(boolean httpOnly) {
      this.httpOnly = httpOnly;
    }

    public boolean httpOnly() {
      return httpOnly;
    }
  }

  /** The value set of a clause, typed by attribute. */
  public sealed interface Values {
    record Strings(List<IstioString> values) implements Values {
      public Strings {
        values = List.copyOf(values);
      }
    }

    record Cidrs(List<Cidr> values) implements Values {
      public Cidrs {
        values = List.copyOf(values);
      }
    }

    record Ports(Set<Integer> values) implements Values {
      public Ports {
        values = Set.copyOf(values);
      }
    }
  }
}
